/**
 * What preprocessing needs to know about a model's input: the `input` block of a model manifest
 * (src/inference/manifest.schema.ts satisfies this shape), restated here so the pure signal
 * code does not depend on the inference layer.
 */
export type FilterStep =
  | { type: 'highpass'; cutoffHz: number; order: number }
  | { type: 'lowpass'; cutoffHz: number; order: number }
  | { type: 'notch'; frequencyHz: number; qualityFactor: number };

export type NormalizationStep = { type: 'none' } | { type: 'scale'; factor: number } | { type: 'zscore-per-lead'; epsilon: number };

export interface CropPadPolicy {
  crop: 'start' | 'center' | 'end';
  pad: 'zero' | 'edge';
  minDurationS?: number | undefined;
}

export interface PreprocessSpec {
  layout: 'NCL' | 'NLC';
  leads: readonly string[];
  sampleRateHz: number;
  durationS: number;
  cropPad: CropPadPolicy;
  units: 'uV' | 'mV';
  filters: readonly FilterStep[];
  normalization: NormalizationStep;
}
