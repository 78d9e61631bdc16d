import type { PreprocessSpec } from './preprocess-spec';

export type WindowPlan =
  | {
      ok: true;
      /** First source sample of the window; the first model sample is exactly on it. */
      start: number;
      /** Source samples in the window (what the quality gate sees). */
      sourceLength: number;
      /** Model samples computed from the record; the rest (targetLength − realLength) is padding. */
      realLength: number;
      targetLength: number;
    }
  | { ok: false; durationS: number; minDurationS: number };

/**
 * Where the model's window lies in a record of `samples` at `sampleRateHz` (manifest cropPad).
 * A record shorter than minDurationS gets `ok: false`; one between minDurationS and durationS is
 * taken whole and padded at the end.
 */
export function planWindow(samples: number, sampleRateHz: number, input: Pick<PreprocessSpec, 'sampleRateHz' | 'durationS' | 'cropPad'>): WindowPlan {
  const targetLength = Math.round(input.sampleRateHz * input.durationS);
  const durationS = samples / sampleRateHz;
  const minDurationS = input.cropPad.minDurationS ?? input.durationS;
  const tolerance = 1e-9;
  if (durationS + tolerance < minDurationS) return { ok: false, durationS, minDurationS };
  const windowSamples = input.durationS * sampleRateHz;
  if (durationS + tolerance >= input.durationS) {
    const spare = Math.max(0, samples - windowSamples);
    const start = input.cropPad.crop === 'start' ? 0 : input.cropPad.crop === 'center' ? Math.floor(spare / 2) : Math.floor(spare);
    return { ok: true, start, sourceLength: Math.min(samples - start, Math.ceil(windowSamples)), realLength: targetLength, targetLength };
  }
  const realLength = Math.min(targetLength, Math.floor((samples * input.sampleRateHz) / sampleRateHz + tolerance));
  return { ok: true, start: 0, sourceLength: samples, realLength, targetLength };
}
