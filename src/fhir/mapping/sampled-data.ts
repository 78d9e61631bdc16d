import type { SampledData } from '@medplum/fhirtypes';

/**
 * One lead as R4 SampledData (datatypes.html#SampledData): physical = origin + factor × datum.
 * Samples that sit on a common quantum (the source's resolution, e.g. 2.5 µV) are written as
 * integers with that quantum as `factor` (lossless and compact); anything else (resampled or
 * filtered signals) as decimals with 0.001 µV precision and no factor. NaN → `E` (error).
 */
export function toSampledData(samples: Float32Array, sampleRateHz: number, originUnit: { system: string; code: string; unit: string }): SampledData {
  const base: SampledData = {
    origin: { value: 0, unit: originUnit.unit, system: originUnit.system, code: originUnit.code },
    period: Number((1000 / sampleRateHz).toPrecision(9)),
    dimensions: 1,
  };
  const quantum = findQuantum(samples);
  if (quantum !== undefined) {
    return { ...base, factor: quantum, data: join(samples, (v) => String(Math.round(v / quantum))) };
  }
  return { ...base, data: join(samples, (v) => String(Math.round(v * 1000) / 1000)) };
}

function join(samples: Float32Array, format: (v: number) => string): string {
  const parts = new Array<string>(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    parts[i] = Number.isFinite(v) ? format(v) : 'E';
  }
  return parts.join(' ');
}

/**
 * The largest step q (6 significant digits) such that every sample is an integer multiple of q
 * within float32 rounding; undefined when there is none (or the lead is all zeros).
 */
export function findQuantum(samples: Float32Array): number | undefined {
  let step = Infinity;
  for (let i = 1; i < samples.length; i++) {
    const d = Math.abs(samples[i]! - samples[i - 1]!);
    if (d > 0 && d < step) step = d;
  }
  for (let i = 0; i < samples.length; i++) {
    const a = Math.abs(samples[i]!);
    if (a > 0 && a < step) step = a;
  }
  if (!Number.isFinite(step)) return undefined;
  // The smallest step seen may be a multiple of the resolution (a coarse lead): try its divisors.
  for (let divisor = 1; divisor <= 8; divisor++) {
    const q = Number((step / divisor).toPrecision(6));
    if (q > 0 && allMultiplesOf(samples, q)) return q;
  }
  return undefined;
}

function allMultiplesOf(samples: Float32Array, q: number): boolean {
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (!Number.isFinite(v)) continue;
    if (Math.abs(v - Math.round(v / q) * q) > 1e-3 + Math.abs(v) * 1e-6) return false;
  }
  return true;
}

/** Inverse of toSampledData for tests and readers: the physical values of a SampledData. */
export function fromSampledData(sd: SampledData): number[] {
  const factor = sd.factor ?? 1;
  const origin = sd.origin.value ?? 0;
  return (sd.data ?? '').split(' ').filter((t) => t !== '').map((t) => (t === 'E' || t === 'L' || t === 'U' ? NaN : origin + factor * Number(t)));
}
