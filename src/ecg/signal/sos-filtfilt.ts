import type { Biquad } from './biquad';

/**
 * Steady-state initial conditions of each section (direct form II transposed) for a unit step
 * at the cascade's input, as scipy.signal.sosfilt_zi: section k sees the product of the DC gains
 * of the sections before it.
 */
export function sosStepState(sections: readonly Biquad[]): Float64Array {
  const zi = new Float64Array(2 * sections.length);
  let scale = 1;
  sections.forEach((s, k) => {
    const dc = (s.b0 + s.b1 + s.b2) / (1 + s.a1 + s.a2);
    zi[2 * k + 1] = scale * (s.b2 - s.a2 * dc);
    zi[2 * k] = scale * (s.b1 - s.a1 * dc) + zi[2 * k + 1]!;
    scale *= dc;
  });
  return zi;
}

/** Filters `x` in place through the cascade, the states starting at `zi` × `x0`. */
export function sosFilterInPlace(sections: readonly Biquad[], x: Float64Array, zi: Float64Array, x0: number): void {
  for (let k = 0; k < sections.length; k++) {
    const { b0, b1, b2, a1, a2 } = sections[k]!;
    let z1 = zi[2 * k]! * x0;
    let z2 = zi[2 * k + 1]! * x0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      const y = b0 * xi + z1;
      z1 = b1 * xi - a1 * y + z2;
      z2 = b2 * xi - a2 * y;
      x[i] = y;
    }
  }
}

/** scipy.signal.sosfiltfilt's default pad length for a cascade. */
export function defaultPadLength(sections: readonly Biquad[]): number {
  const zerosB2 = sections.filter((s) => s.b2 === 0).length;
  const zerosA2 = sections.filter((s) => s.a2 === 0).length;
  return 3 * (2 * sections.length + 1 - Math.min(zerosB2, zerosA2));
}

/**
 * Zero-phase filtering (forward, then backward) as scipy.signal.sosfiltfilt with its defaults:
 * odd extension of `padLength` samples at both ends, steady-state initial conditions scaled by
 * the first sample of each pass. The magnitude response is |H|²; the phase is zero.
 */
export function sosFiltfilt(sections: readonly Biquad[], x: ArrayLike<number>, padLength = defaultPadLength(sections)): Float64Array {
  const n = x.length;
  if (sections.length === 0 || n === 0) return Float64Array.from(x);
  const edge = Math.max(0, Math.min(padLength, n - 1));
  const ext = new Float64Array(n + 2 * edge);
  const first = x[0]!;
  const last = x[n - 1]!;
  for (let i = 0; i < edge; i++) ext[i] = 2 * first - x[edge - i]!;
  for (let i = 0; i < n; i++) ext[edge + i] = x[i]!;
  for (let i = 0; i < edge; i++) ext[edge + n + i] = 2 * last - x[n - 2 - i]!;
  const zi = sosStepState(sections);
  sosFilterInPlace(sections, ext, zi, ext[0]!);
  ext.reverse();
  sosFilterInPlace(sections, ext, zi, ext[0]!);
  ext.reverse();
  return ext.slice(edge, edge + n);
}
