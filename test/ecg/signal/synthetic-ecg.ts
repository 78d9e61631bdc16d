import { STANDARD_LEADS } from '../../../src/ecg/lead-name';
import type { EcgRecord } from '../../../src/ecg/record';

export interface SyntheticEcgOptions {
  sampleRateHz: number;
  durationS: number;
  /** Leads to include (default the twelve standard leads). */
  leads?: readonly string[];
  heartRateBpm?: number;
  /** Added to every sample (µV): electrode offset. */
  offsetUv?: number;
  /** Per-lead override of the samples (µV), after the beats are drawn. */
  mutate?: ((lead: string, x: Float32Array, fs: number) => void) | undefined;
}

function gauss(t: number, centre: number, width: number): number {
  const u = (t - centre) / width;
  return Math.exp(-0.5 * u * u);
}

/**
 * A deterministic, ECG-like test record (µV): P, QRS and T waves as Gaussians at a fixed heart
 * rate, a different amplitude per lead, plus a small 0.3 Hz respiration-like baseline. Clean by
 * construction, so the quality gate must pass it; tests break it on purpose with `mutate`.
 */
export function syntheticEcg(o: SyntheticEcgOptions): EcgRecord {
  const fs = o.sampleRateHz;
  const n = Math.round(o.durationS * fs);
  const rr = 60 / (o.heartRateBpm ?? 72);
  const names = o.leads ?? STANDARD_LEADS;
  const leads: Record<string, Float32Array> = {};
  names.forEach((name, k) => {
    const gain = 0.6 + 0.1 * (k % 7);
    const sign = name === 'aVR' ? -1 : 1;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const t = i / fs;
      const phase = (t % rr) - rr / 2; // beat centred in each RR interval
      const beat =
        120 * gauss(phase, -0.18, 0.025) - // P
        100 * gauss(phase, -0.025, 0.008) + // Q
        1000 * gauss(phase, 0, 0.01) - // R
        250 * gauss(phase, 0.03, 0.01) + // S
        300 * gauss(phase, 0.25, 0.05); // T
      x[i] = sign * gain * beat + 50 * Math.sin(2 * Math.PI * 0.3 * t + k) + (o.offsetUv ?? 0);
    }
    o.mutate?.(name, x, fs);
    leads[name] = x;
  });
  return {
    format: 'wfdb',
    sampleRateHz: fs,
    samplesPerLead: n,
    leads,
    derivedLeads: [],
    patient: {},
    order: {},
    measurements: {},
    source: { format: 'wfdb' },
    warnings: [],
  };
}
