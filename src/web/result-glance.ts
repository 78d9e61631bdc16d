/** One model's results on one ECG in a few words, for the messages list (no raw values, no patient data). */
export interface ResultGlance {
  model: string;
  status: 'scored' | 'indeterminate';
  /** The highest risk stratum among the model's outputs, when any output has strata. */
  highest?: 'low' | 'intermediate' | 'high';
  /** Output keys in the high stratum. */
  high: string[];
  /** Outputs without a number (whole model indeterminate, or a non-finite output). */
  indeterminate: number;
  /** The indeterminate reason code, when the whole model was. */
  reason?: string;
}

const RANK = { low: 0, intermediate: 1, high: 2 } as const;
type Stratum = keyof typeof RANK;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * Reads the score stage's stored `results.scores` (src/inference/model-result.ts) defensively:
 * rows of older versions or other stages may lack them. Pure.
 */
export function resultGlance(results: unknown): ResultGlance[] {
  if (!isRecord(results) || !Array.isArray(results['scores'])) return [];
  const out: ResultGlance[] = [];
  for (const score of results['scores'] as unknown[]) {
    if (!isRecord(score) || !isRecord(score['model'])) continue;
    const status = score['status'] === 'indeterminate' ? 'indeterminate' : 'scored';
    const outputs = Array.isArray(score['outputs']) ? (score['outputs'] as unknown[]).filter(isRecord) : [];
    const glance: ResultGlance = { model: String(score['model']['id']), status, high: [], indeterminate: outputs.filter((o) => o['status'] === 'indeterminate').length };
    for (const o of outputs) {
      const s = o['stratum'];
      if (s !== 'low' && s !== 'intermediate' && s !== 'high') continue;
      if (glance.highest === undefined || RANK[s as Stratum] > RANK[glance.highest]) glance.highest = s;
      if (s === 'high') glance.high.push(String(o['key']));
    }
    if (status === 'indeterminate' && isRecord(score['reason'])) glance.reason = String(score['reason']['code']);
    out.push(glance);
  }
  return out;
}
