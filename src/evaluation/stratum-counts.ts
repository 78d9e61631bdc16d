import type { Stratum } from '../inference/model-result';

export type StratumCounts = Record<Stratum | 'indeterminate' | 'none', number>;

/** Counts of low / intermediate / high, `indeterminate` for results without a number, `none` for scored outputs without strata. */
export function countStrata(strata: ReadonlyArray<Stratum | 'indeterminate' | undefined>): StratumCounts {
  const counts: StratumCounts = { low: 0, intermediate: 0, high: 0, indeterminate: 0, none: 0 };
  for (const s of strata) counts[s ?? 'none']++;
  return counts;
}
