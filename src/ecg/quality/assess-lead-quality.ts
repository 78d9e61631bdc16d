import { butterworth } from '../signal/biquad';
import { sosFiltfilt } from '../signal/sos-filtfilt';
import type { QualityIssue } from './quality-issue';
import type { QualityThresholds } from './quality-thresholds';

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** The longest run of samples equal to `value`. */
function longestRunAt(x: ArrayLike<number>, value: number): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < x.length; i++) {
    run = x[i] === value ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/**
 * Checks one lead (µV, the window the model will see, at the source rate) against the thresholds;
 * returns the first problem found or undefined. Order: invalid samples, flat, clipping, noise, wander.
 */
export function assessLeadQuality(lead: string, x: ArrayLike<number>, sampleRateHz: number, t: QualityThresholds): QualityIssue | undefined {
  const n = x.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) return { code: 'invalid-samples', lead, message: `lead ${lead} has a sample that is not a finite number` };
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2;
  const std = Math.sqrt(ss / n);
  if (std < t.flatStdUv) return { code: 'flat-lead', lead, message: `lead ${lead} is flat (SD ${round(std)} µV < ${t.flatStdUv} µV)` };

  const minRun = Math.max(2, Math.ceil((t.saturationMinRunMs / 1000) * sampleRateHz));
  const run = Math.max(longestRunAt(x, max), longestRunAt(x, min));
  if (run >= minRun) {
    return { code: 'saturation', lead, message: `lead ${lead} is clipped (${round((run / sampleRateHz) * 1000, 0)} ms at its limit ≥ ${t.saturationMinRunMs} ms)` };
  }

  const centred = new Float64Array(n);
  for (let i = 0; i < n; i++) centred[i] = x[i]! - mean;
  // Two zero-phase low-passes split the lead into complementary bands by subtraction:
  // baseline (< baselineCutoffHz), ECG band (baseline … noiseSplitHz) and the rest (> noiseSplitHz).
  const baseline = t.baselineCutoffHz < sampleRateHz / 2 ? sosFiltfilt(butterworth('lowpass', 2, t.baselineCutoffHz, sampleRateHz), centred) : undefined;
  if (sampleRateHz > 2 * t.noiseSplitHz && baseline) {
    const ecgAndBaseline = sosFiltfilt(butterworth('lowpass', 2, t.noiseSplitHz, sampleRateHz), centred);
    let high = 0;
    let band = 0;
    for (let i = 0; i < n; i++) {
      const h = centred[i]! - ecgAndBaseline[i]!;
      const b = ecgAndBaseline[i]! - baseline[i]!;
      high += h * h;
      band += b * b;
    }
    const ratio = Math.sqrt(high) / (Math.sqrt(band) || Number.MIN_VALUE);
    if (ratio > t.maxHighFrequencyRatio) {
      return { code: 'high-frequency-noise', lead, message: `lead ${lead} is noisy (RMS above ${t.noiseSplitHz} Hz is ${round(ratio, 2)} × the ECG band, limit ${t.maxHighFrequencyRatio})` };
    }
  }
  if (baseline) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = baseline[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo > t.maxBaselineWanderUv) {
      return { code: 'baseline-wander', lead, message: `lead ${lead} has baseline wander of ${round(hi - lo, 0)} µV > ${t.maxBaselineWanderUv} µV` };
    }
  }
  return undefined;
}
