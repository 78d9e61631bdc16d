import { designSincKernel, sincKernelAt, type SincKernel } from './windowed-sinc';

/** Stop-band attenuation of the anti-aliasing / anti-imaging filter. */
const ATTENUATION_DB = 60;
/** Pass band ends at this fraction of the lower Nyquist frequency; the stop band starts at Nyquist. */
const PASS_FRACTION = 0.8;
/** Above this interpolation factor the kernel is evaluated per output sample instead of tabulated. */
const MAX_TABLE_PHASES = 1024;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The rational factor L/M = toHz/fromHz in lowest terms (rates are taken to the millihertz). */
export function rationalFactor(fromHz: number, toHz: number): { up: number; down: number } {
  const a = Math.round(fromHz * 1000);
  const b = Math.round(toHz * 1000);
  const g = gcd(a, b);
  return { up: b / g, down: a / g };
}

export interface Resampler {
  readonly fromHz: number;
  readonly toHz: number;
  readonly up: number;
  readonly down: number;
  readonly kernel: SincKernel;
  /**
   * `count` output samples at `toHz`, the first at input sample `start` (exactly), reading the
   * input around the window for the filter's context; beyond the record's ends the input is
   * extended by odd reflection about the end sample (keeps level and slope, no step).
   */
  resample(x: ArrayLike<number>, start: number, count: number): Float64Array;
}

/**
 * Rational-factor polyphase resampler with a Kaiser-windowed sinc (60 dB stop band from the lower
 * Nyquist, pass band to 0.8 × the lower Nyquist). Each phase is normalised to unit DC gain.
 */
export function createResampler(fromHz: number, toHz: number): Resampler {
  if (!(fromHz > 0) || !(toHz > 0)) throw new RangeError('sampling rates must be positive');
  const { up, down } = rationalFactor(fromHz, toHz);
  const nyquist = Math.min(fromHz, toHz) / 2;
  const kernel = designSincKernel(PASS_FRACTION * nyquist, nyquist, ATTENUATION_DB);
  // Taps k = −K…K around the input sample at or before each output instant (+1 for the fraction).
  const halfTaps = Math.ceil(kernel.halfWidthS * fromHz) + 1;
  const width = 2 * halfTaps + 1;

  const phaseTaps = (phase: number, out: Float64Array, offset: number): void => {
    // Output instant = j0 + phase/up input samples; tap i weighs input sample j0 + i − halfTaps.
    let sum = 0;
    for (let i = 0; i < width; i++) {
      const v = sincKernelAt(kernel, (phase / up - (i - halfTaps)) / fromHz, fromHz);
      out[offset + i] = v;
      sum += v;
    }
    for (let i = 0; i < width; i++) out[offset + i]! /= sum;
  };
  // All phases in one flat table (phase p at p·width), or one scratch row computed per output.
  const tabulated = up <= MAX_TABLE_PHASES;
  const table = new Float64Array((tabulated ? up : 1) * width);
  if (tabulated) for (let p = 0; p < up; p++) phaseTaps(p, table, p * width);

  const resample = (x: ArrayLike<number>, start: number, count: number): Float64Array => {
    const n = x.length;
    const out = new Float64Array(count);
    if (n === 0 || count === 0) return out;
    // Copy the samples the window reads (with the filter's context) into one float64 buffer,
    // extended by odd reflection beyond the record, so the inner loop has no bounds checks.
    const lastPos = (count - 1) * down;
    const from = start - halfTaps;
    const to = start + Math.floor(lastPos / up) - halfTaps + width; // exclusive
    const ext = new Float64Array(to - from);
    const first = x[0]!;
    const last = x[n - 1]!;
    for (let j = from; j < to; j++) {
      let v: number;
      if (j < 0) v = 2 * first - x[Math.min(-j, n - 1)]!;
      else if (j >= n) v = 2 * last - x[Math.max(2 * (n - 1) - j, 0)]!;
      else v = x[j]!;
      ext[j - from] = v;
    }
    for (let m = 0; m < count; m++) {
      const pos = m * down; // in units of 1/up input samples, relative to `start`
      const q = Math.floor(pos / up);
      const phase = pos - q * up;
      let t0 = 0;
      if (tabulated) t0 = phase * width;
      else phaseTaps(phase, table, 0);
      const base = q; // ext index of input sample start + q − halfTaps
      let acc = 0;
      for (let i = 0; i < width; i++) acc += table[t0 + i]! * ext[base + i]!;
      out[m] = acc;
    }
    return out;
  };
  return { fromHz, toHz, up, down, kernel, resample };
}
