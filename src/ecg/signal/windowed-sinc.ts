/**
 * Kaiser-windowed sinc low-pass kernel in continuous time, the building block of the resampler.
 * Design (Kaiser 1974): the window's β and length follow from the stop-band attenuation and
 * the transition width, so a kernel is fully described by cut-off, transition and attenuation.
 */

/** Zeroth-order modified Bessel function of the first kind (power series; converges fast for β ≤ 20). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Kaiser's β for a stop-band attenuation of `attenuationDb`. */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

export interface SincKernel {
  /** −6 dB cut-off, Hz. */
  cutoffHz: number;
  /** Half the kernel's support, seconds: the kernel is zero for |τ| ≥ halfWidthS. */
  halfWidthS: number;
  beta: number;
}

/**
 * A low-pass kernel with pass band up to `passHz`, stop band from `stopHz`, `attenuationDb` down.
 * Kaiser's length estimate N = (A − 7.95) / (2.285 · 2π · Δf / F) samples at any rate F gives a
 * support of (A − 7.95) / (2.285 · 2π · Δf) seconds.
 */
export function designSincKernel(passHz: number, stopHz: number, attenuationDb: number): SincKernel {
  const transitionHz = stopHz - passHz;
  const supportS = (attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transitionHz);
  return { cutoffHz: (passHz + stopHz) / 2, halfWidthS: supportS / 2, beta: kaiserBeta(attenuationDb) };
}

/** The kernel's value at time offset τ (seconds), for samples spaced 1/sampleRateHz apart (unit DC gain). */
export function sincKernelAt(k: SincKernel, tauS: number, sampleRateHz: number): number {
  const r = tauS / k.halfWidthS;
  if (r <= -1 || r >= 1) return 0;
  const u = 2 * k.cutoffHz * tauS;
  const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
  const window = besselI0(k.beta * Math.sqrt(1 - r * r)) / besselI0(k.beta);
  return ((2 * k.cutoffHz) / sampleRateHz) * sinc * window;
}
