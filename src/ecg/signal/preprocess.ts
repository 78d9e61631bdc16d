import type { QualityIssue } from '../quality/quality-issue';
import type { QualityThresholds } from '../quality/quality-thresholds';
import { assessQuality } from '../quality/assess-quality';
import type { EcgRecord } from '../record';
import { butterworth, notch, type Biquad } from './biquad';
import { planWindow } from './plan-window';
import type { FilterStep, PreprocessSpec } from './preprocess-spec';
import { createResampler, type Resampler } from './resampler';
import { selectLeads } from './select-leads';
import type { SignalCache } from './signal-cache';
import { sosFiltfilt } from './sos-filtfilt';

/** What was done to the record, for results and logs (no samples, no patient data). */
export interface PreprocessTrace {
  sourceRateHz: number;
  targetRateHz: number;
  /** L/M when resampled; undefined when the rates are equal. */
  resampled?: { up: number; down: number };
  windowStartS: number;
  /** Model samples padded at the end (record shorter than durationS). */
  paddedSamples: number;
  derivedLeads: string[];
}

export type PreparedInput =
  | { status: 'ready'; data: Float32Array; trace: PreprocessTrace }
  | { status: 'indeterminate'; issue: QualityIssue };

export interface Preprocessor {
  readonly spec: PreprocessSpec;
  /** Elements of one ECG's tensor (leads × samples). */
  readonly size: number;
  /**
   * The model's input for one ECG, or the quality issue that makes the result indeterminate.
   * `cache` (one per record) lets several models share the gate and the resampling.
   */
  prepare(record: EcgRecord, cache?: SignalCache): PreparedInput;
}

function filterSections(step: FilterStep, fs: number): Biquad[] {
  switch (step.type) {
    case 'highpass':
    case 'lowpass':
      return butterworth(step.type, step.order, step.cutoffHz, fs);
    case 'notch':
      return [notch(step.frequencyHz, step.qualityFactor, fs)];
  }
}

/**
 * Builds the manifest-driven preprocessing of one model (docs/model-manifest.md, "Preprocessing
 * order"): leads (deriving limb leads), window, quality gate, resampling, zero-phase filters, units,
 * normalisation, padding. Filters are designed once; resamplers once per source rate.
 */
export function createPreprocessor(spec: PreprocessSpec, thresholds: QualityThresholds): Preprocessor {
  const fs = spec.sampleRateHz;
  const filters = spec.filters.map((f) => filterSections(f, fs));
  const resamplers = new Map<number, Resampler>();
  const targetLength = Math.round(spec.sampleRateHz * spec.durationS);
  const nLeads = spec.leads.length;
  const unitScale = spec.units === 'mV' ? 0.001 : 1;

  const prepare = (record: EcgRecord, cache?: SignalCache): PreparedInput => {
    const selection = selectLeads(record, spec.leads);
    if (!selection.ok) {
      const have = Object.keys(record.leads).join(', ') || 'none';
      return {
        status: 'indeterminate',
        issue: { code: 'lead-missing', lead: selection.missing[0]!, message: `lead(s) ${selection.missing.join(', ')} neither in the record nor derivable (record has ${have})` },
      };
    }
    const srcHz = record.sampleRateHz;
    const samples = Math.min(...selection.leads.map(([, d]) => d.length));
    const plan = planWindow(samples, srcHz, spec);
    if (!plan.ok) {
      return {
        status: 'indeterminate',
        issue: { code: 'too-short', message: `record lasts ${Math.round(plan.durationS * 1000) / 1000} s, the model needs at least ${plan.minDurationS} s` },
      };
    }
    let memo = cache?.gate.get(thresholds);
    if (cache && !memo) cache.gate.set(thresholds, (memo = new Map()));
    const issue = assessQuality(selection.leads, plan.start, plan.sourceLength, srcHz, thresholds, memo);
    if (issue) return { status: 'indeterminate', issue };

    let resampler: Resampler | undefined;
    if (srcHz !== fs) {
      resampler = resamplers.get(srcHz);
      if (!resampler) resamplers.set(srcHz, (resampler = createResampler(srcHz, fs)));
    }
    const data = new Float32Array(nLeads * targetLength);
    selection.leads.forEach(([name, lead], l) => {
      let x: Float64Array;
      if (resampler) {
        const key = `${name}|${srcHz}|${fs}|${plan.start}|${plan.realLength}`;
        let resampled = cache?.resampled.get(key);
        if (!resampled) {
          resampled = resampler.resample(lead, plan.start, plan.realLength);
          cache?.resampled.set(key, resampled);
        }
        x = resampled.slice(); // the steps below work in place; the cached copy stays intact
      } else {
        x = Float64Array.from(lead.subarray(plan.start, plan.start + plan.realLength));
      }
      for (const sections of filters) x = sosFiltfilt(sections, x);
      normaliseInPlace(x, unitScale, spec);
      const padValue = spec.cropPad.pad === 'edge' && x.length > 0 ? x[x.length - 1]! : 0;
      for (let i = 0; i < targetLength; i++) {
        const v = i < x.length ? x[i]! : padValue;
        data[spec.layout === 'NCL' ? l * targetLength + i : i * nLeads + l] = v;
      }
    });
    const trace: PreprocessTrace = {
      sourceRateHz: srcHz,
      targetRateHz: fs,
      windowStartS: plan.start / srcHz,
      paddedSamples: targetLength - plan.realLength,
      derivedLeads: selection.derived,
    };
    if (resampler) trace.resampled = { up: resampler.up, down: resampler.down };
    return { status: 'ready', data, trace };
  };
  return { spec, size: nLeads * targetLength, prepare };
}

function normaliseInPlace(x: Float64Array, unitScale: number, spec: PreprocessSpec): void {
  const norm = spec.normalization;
  const n = x.length;
  if (norm.type === 'zscore-per-lead') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i]! * unitScale;
    const mean = sum / (n || 1);
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i]! * unitScale - mean) ** 2;
    const denom = Math.sqrt(ss / (n || 1)) + norm.epsilon;
    for (let i = 0; i < n; i++) x[i] = (x[i]! * unitScale - mean) / denom;
    return;
  }
  const k = unitScale * (norm.type === 'scale' ? norm.factor : 1);
  if (k !== 1) for (let i = 0; i < n; i++) x[i]! *= k;
}
