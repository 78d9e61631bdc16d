import type { OutputSpec } from '../inference/manifest.schema';
import type { ModelResult, Stratum } from '../inference/model-result';
import { auroc } from './auroc';
import { bootstrapCi } from './bootstrap-ci';
import { meanAbsoluteError } from './mae';
import { countStrata, type StratumCounts } from './stratum-counts';

/** One evaluated record: the model's result and the reference labels keyed by output key. */
export interface EvaluatedRecord {
  result: ModelResult;
  labels: Readonly<Record<string, number>>;
}

export interface OutputEvaluation {
  key: string;
  metric: 'AUROC' | 'MAE';
  /** Records with a number and a label (the metric's n); `positives` for AUROC. */
  n: number;
  positives?: number;
  /** Records whose label is missing (e.g. no age), left out of n. */
  unlabelled: number;
  value: number;
  ci95: [number, number];
  published?: { value: number; ci95?: [number, number]; dataset: string };
  /** The published value lies within our bootstrap interval, and ours within the published one. */
  withinOurCi?: boolean;
  withinPublishedCi?: boolean;
  strata: StratumCounts;
}

export interface EvaluationOptions {
  resamples: number;
  seed: number;
}

/**
 * Per output of the manifest: AUROC (probability outputs) or MAE (regression outputs) over the
 * records that were scored and labelled, its percentile bootstrap 95% CI, the manifest's
 * published figure beside it, and the stratum counts (indeterminate results counted apart).
 */
export function evaluateOutputs(outputs: readonly OutputSpec[], records: readonly EvaluatedRecord[], options: EvaluationOptions): OutputEvaluation[] {
  const rows: OutputEvaluation[] = [];
  for (const spec of outputs) {
    if (spec.kind === 'class') continue; // no reference model has one; nothing to compare
    const metric = spec.kind === 'probability' ? 'AUROC' : 'MAE';
    const truth: number[] = [];
    const score: number[] = [];
    const strata: Array<Stratum | 'indeterminate' | undefined> = [];
    let unlabelled = 0;
    for (const r of records) {
      const out = r.result.outputs.find((o) => o.key === spec.key);
      if (!out || out.status === 'indeterminate') {
        strata.push('indeterminate');
        continue;
      }
      strata.push(out.kind === 'probability' ? out.stratum : undefined);
      const label = r.labels[spec.key];
      if (label === undefined || Number.isNaN(label)) {
        unlabelled++;
        continue;
      }
      truth.push(label);
      score.push(out.kind === 'probability' ? out.probability : out.kind === 'regression' ? out.value : Number.NaN);
    }
    const fn = metric === 'AUROC' ? auroc : meanAbsoluteError;
    const value = fn(truth, score);
    const ci = bootstrapCi(fn, truth, score, options.resamples, options.seed);
    const perf = spec.performance.find((p) => p.metric.toUpperCase() === metric);
    const row: OutputEvaluation = { key: spec.key, metric, n: truth.length, unlabelled, value, ci95: [ci.lower, ci.upper], strata: countStrata(strata) };
    if (metric === 'AUROC') row.positives = truth.filter((t) => t === 1).length;
    if (perf) {
      row.published = perf.ci95 ? { value: perf.value, ci95: perf.ci95, dataset: perf.dataset } : { value: perf.value, dataset: perf.dataset };
      row.withinOurCi = perf.value >= ci.lower && perf.value <= ci.upper;
      if (perf.ci95) row.withinPublishedCi = value >= perf.ci95[0] && value <= perf.ci95[1];
    }
    rows.push(row);
  }
  return rows;
}
