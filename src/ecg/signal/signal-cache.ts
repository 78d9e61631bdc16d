import type { QualityIssue } from '../quality/quality-issue';
import type { QualityThresholds } from '../quality/quality-thresholds';

/**
 * Work shared by the models scoring one record: the quality verdict per lead and window, and
 * resampled leads (models at the same rate and window need the same resampling). Create one per
 * record and drop it afterwards; keys are lead names, so it must never outlive the record.
 */
export interface SignalCache {
  readonly gate: Map<QualityThresholds, Map<string, QualityIssue | null>>;
  readonly resampled: Map<string, Float64Array>;
}

export function createSignalCache(): SignalCache {
  return { gate: new Map(), resampled: new Map() };
}
