/**
 * Signal-quality thresholds, in one place (docs/model-manifest.md, "Signal-quality gate").
 * Conservative on purpose: they catch recordings a model must not score (disconnected or clipped
 * leads, gross artefact), not ordinary noise that a model's own filters remove.
 */
export interface QualityThresholds {
  /** A lead whose standard deviation over the window is below this is flat (µV). */
  flatStdUv: number;
  /** This long a run of identical samples at the lead's own maximum or minimum is clipping (ms). */
  saturationMinRunMs: number;
  /** Band split for the noise ratio (Hz); only checked when the source rate is above twice this. */
  noiseSplitHz: number;
  /** RMS above noiseSplitHz over the RMS of the 0.5 Hz – noiseSplitHz band above this is too noisy. */
  maxHighFrequencyRatio: number;
  /** Cut-off of the baseline estimate (Hz). */
  baselineCutoffHz: number;
  /** Peak-to-peak of the baseline estimate above this is excessive wander (µV). */
  maxBaselineWanderUv: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: Readonly<QualityThresholds> = Object.freeze({
  flatStdUv: 10,
  saturationMinRunMs: 100,
  noiseSplitHz: 40,
  maxHighFrequencyRatio: 0.5,
  baselineCutoffHz: 0.5,
  maxBaselineWanderUv: 4000,
});
