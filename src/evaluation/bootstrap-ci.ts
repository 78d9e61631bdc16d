import { seededRandom } from './seeded-random';

/** A metric over paired values (labels or truth, then scores or predictions). */
export type PairedMetric = (a: ArrayLike<number>, b: ArrayLike<number>) => number;

export interface BootstrapInterval {
  /** Percentile bounds of the resampled metric. */
  lower: number;
  upper: number;
  /** Resamples whose metric was defined (an AUROC resample with one class only is dropped). */
  used: number;
}

/**
 * Percentile bootstrap interval of a paired metric: `resamples` draws of n pairs with
 * replacement from a seeded PRNG, the metric on each, then the (1−level)/2 and (1+level)/2
 * quantiles (linear interpolation, as numpy's default). NaN bounds when no resample is defined.
 */
export function bootstrapCi(metric: PairedMetric, a: ArrayLike<number>, b: ArrayLike<number>, resamples: number, seed: number, level = 0.95): BootstrapInterval {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`bootstrap: ${n} values but ${b.length} partners`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError('bootstrap: resamples must be a positive integer');
  const random = seededRandom(seed);
  const ra = new Float64Array(n);
  const rb = new Float64Array(n);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(random() * n);
      ra[i] = a[k]!;
      rb[i] = b[k]!;
    }
    const v = metric(ra, rb);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((x, y) => x - y);
  return { lower: quantile(values, (1 - level) / 2), upper: quantile(values, (1 + level) / 2), used: values.length };
}

/** Quantile of sorted values with linear interpolation between closest ranks (numpy "linear"). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
