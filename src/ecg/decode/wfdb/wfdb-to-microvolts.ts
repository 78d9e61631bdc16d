import type { DecodeWarning } from '../../record';
import type { WfdbSignalSpec } from './wfdb-header';

const MICROVOLTS_PER_UNIT: Readonly<Record<string, number>> = { V: 1e6, mV: 1e3, uV: 1, 'µV': 1, 'μV': 1, nV: 1e-3 };
// header(5): a gain of 0 or none means uncalibrated; WFDB_DEFGAIN (200 per unit) is the usual guess.
const DEFAULT_GAIN = 200;

/** µV per physical unit, or undefined for units that are not a voltage (mmHg, NU …). */
export function microvoltsPerUnit(units: string): number | undefined {
  return MICROVOLTS_PER_UNIT[units];
}

/**
 * Raw ADC values → µV: (raw − baseline) / gain × µV per unit (header(5)). Samples equal to
 * `invalid` (signal(5) WFDB_INVALID_SAMPLE) become NaN and are counted in a warning; an
 * uncalibrated gain uses 200 with a warning. `perUnit` comes from microvoltsPerUnit.
 */
export function wfdbToMicrovolts(raw: Int16Array, signal: WfdbSignalSpec, perUnit: number, invalid: number, field: string, warnings: DecodeWarning[]): Float32Array {
  let gain = signal.adcGain;
  if (!(gain > 0)) {
    warnings.push({ code: 'WFDB_GAIN_UNCALIBRATED', field: `${field} adcgain`, message: `no ADC gain; ${DEFAULT_GAIN} per ${signal.units} assumed` });
    gain = DEFAULT_GAIN;
  }
  const factor = perUnit / gain;
  const baseline = signal.baseline;
  const out = new Float32Array(raw.length);
  let invalidCount = 0;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i] as number;
    if (v === invalid) {
      out[i] = Number.NaN;
      invalidCount++;
    } else {
      out[i] = (v - baseline) * factor;
    }
  }
  if (invalidCount > 0) {
    warnings.push({ code: 'WFDB_INVALID_SAMPLES', field, message: `${invalidCount} samples marked invalid by the ADC are NaN` });
  }
  return out;
}
