/** Stable reason codes of an indeterminate result (docs/model-manifest.md). */
export const QUALITY_REASON_CODES = [
  'lead-missing',
  'too-short',
  'invalid-samples',
  'flat-lead',
  'saturation',
  'high-frequency-noise',
  'baseline-wander',
] as const;
export type QualityReasonCode = (typeof QUALITY_REASON_CODES)[number];

/** Why a lead (or the record) is unfit for scoring: code, the lead, and a text naming the rule. */
export interface QualityIssue {
  code: QualityReasonCode;
  lead?: string;
  message: string;
}
