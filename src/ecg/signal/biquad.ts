/**
 * Second-order IIR sections, designed in float64. a0 is normalised to 1.
 * A first-order section has b2 = a2 = 0.
 */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

interface Complex {
  re: number;
  im: number;
}

/** Bilinear transform of an s-plane pole: z = (2fs + s) / (2fs − s). */
function bilinear(s: Complex, fs: number): Complex {
  const k = 2 * fs;
  const nr = k + s.re;
  const ni = s.im;
  const dr = k - s.re;
  const di = -s.im;
  const d = dr * dr + di * di;
  return { re: (nr * dr + ni * di) / d, im: (ni * dr - nr * di) / d };
}

/** Gain of a section at z = e^{jω}, ω = 0 (DC) or π (Nyquist). */
function gainAt(s: Biquad, z: 1 | -1): number {
  return (s.b0 + s.b1 * z + s.b2) / (1 + s.a1 * z + s.a2);
}

/**
 * Digital Butterworth high-pass or low-pass of `order` as cascaded sections: analog prototype
 * poles, frequency pre-warping (Ω = 2fs·tan(π·fc/fs)), bilinear transform — the same transfer
 * function as scipy.signal.butter(order, cutoffHz, btype, fs=fs, output='sos').
 */
export function butterworth(kind: 'lowpass' | 'highpass', order: number, cutoffHz: number, fs: number): Biquad[] {
  if (!Number.isInteger(order) || order < 1) throw new RangeError('order must be a positive integer');
  if (!(cutoffHz > 0 && cutoffHz < fs / 2)) throw new RangeError('cut-off must lie between 0 and Nyquist');
  const warped = 2 * fs * Math.tan((Math.PI * cutoffHz) / fs);
  const sections: Biquad[] = [];
  const zeroAt = kind === 'lowpass' ? -1 : 1; // N zeros at z = −1 (low-pass) or z = +1 (high-pass)
  const unityAt: 1 | -1 = kind === 'lowpass' ? 1 : -1;
  const analogPole = (k: number): Complex => {
    const theta = (Math.PI * (2 * k + order + 1)) / (2 * order);
    const p = { re: Math.cos(theta), im: Math.sin(theta) };
    if (kind === 'lowpass') return { re: warped * p.re, im: warped * p.im };
    const m = p.re * p.re + p.im * p.im; // Ω/p for the low-pass → high-pass transform
    return { re: (warped * p.re) / m, im: (-warped * p.im) / m };
  };
  for (let k = 0; k < Math.floor(order / 2); k++) {
    const z = bilinear(analogPole(k), fs);
    const s: Biquad = { b0: 1, b1: -2 * zeroAt, b2: 1, a1: -2 * z.re, a2: z.re * z.re + z.im * z.im };
    sections.push(normalise(s, unityAt));
  }
  if (order % 2 === 1) {
    const z = bilinear(analogPole((order - 1) / 2), fs); // the real pole
    sections.push(normalise({ b0: 1, b1: -zeroAt, b2: 0, a1: -z.re, a2: 0 }, unityAt));
  }
  return sections;
}

function normalise(s: Biquad, at: 1 | -1): Biquad {
  const g = gainAt(s, at);
  return { b0: s.b0 / g, b1: s.b1 / g, b2: s.b2 / g, a1: s.a1, a2: s.a2 };
}

/** Second-order IIR notch (scipy.signal.iirnotch): −3 dB bandwidth = frequencyHz / qualityFactor. */
export function notch(frequencyHz: number, qualityFactor: number, fs: number): Biquad {
  if (!(frequencyHz > 0 && frequencyHz < fs / 2)) throw new RangeError('notch frequency must lie between 0 and Nyquist');
  const w0 = (2 * Math.PI * frequencyHz) / fs;
  const bw = w0 / qualityFactor;
  const gain = 1 / (1 + Math.tan(bw / 2));
  const c = Math.cos(w0);
  return { b0: gain, b1: -2 * gain * c, b2: gain, a1: -2 * gain * c, a2: 2 * gain - 1 };
}

/** |H(e^{jω})| of a cascade at frequencyHz. */
export function magnitudeAt(sections: readonly Biquad[], frequencyHz: number, fs: number): number {
  const w = (2 * Math.PI * frequencyHz) / fs;
  const c1 = Math.cos(w);
  const s1 = Math.sin(w);
  const c2 = Math.cos(2 * w);
  const s2 = Math.sin(2 * w);
  let mag = 1;
  for (const s of sections) {
    const nr = s.b0 + s.b1 * c1 + s.b2 * c2;
    const ni = -(s.b1 * s1 + s.b2 * s2);
    const dr = 1 + s.a1 * c1 + s.a2 * c2;
    const di = -(s.a1 * s1 + s.a2 * s2);
    mag *= Math.sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
  }
  return mag;
}
