import type { QualityIssue } from './quality-issue';
import type { QualityThresholds } from './quality-thresholds';
import { assessLeadQuality } from './assess-lead-quality';

/**
 * The signal-quality gate: every lead a model needs, over the window it will see (samples
 * [start, start + length) at the source rate, µV). Returns the first issue in lead order, with
 * the number of other failing leads in its message, or undefined when the ECG may be scored.
 */
export function assessQuality(
  leads: ReadonlyArray<readonly [string, Float32Array]>,
  start: number,
  length: number,
  sampleRateHz: number,
  thresholds: QualityThresholds,
  /** Verdicts already reached for this record (key: lead, window, rate), shared between models. */
  memo?: Map<string, QualityIssue | null>,
): QualityIssue | undefined {
  const issues: QualityIssue[] = [];
  for (const [name, data] of leads) {
    const key = `${name}|${start}|${length}|${sampleRateHz}`;
    let issue = memo?.get(key);
    if (issue === undefined) {
      issue = assessLeadQuality(name, data.subarray(start, start + length), sampleRateHz, thresholds) ?? null;
      memo?.set(key, issue);
    }
    if (issue) issues.push(issue);
  }
  const first = issues[0];
  if (!first) return undefined;
  if (issues.length === 1) return first;
  const others = issues.slice(1).map((i) => i.lead ?? '?');
  return { ...first, message: `${first.message}; also ${others.length} more lead(s): ${others.join(', ')}` };
}
