import { leadFromLabel } from '../../normalise-lead-name';
import type { LeadName } from '../../lead-name';
import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { parseHl7Number } from './parse-hl7-number';
import { pieceOf, type Hl7Segment } from './hl7-segment';

/** One recording channel from a CHN observation (CD data type, v2.3–2.6 ch. 7.15.3 / 2A). */
export interface ChannelDefinition {
  /** CD.1.1 channel number, when given. */
  number?: number;
  /** The lead: a standard name when the channel name (CD.1.2) or source (CD.2) is one, else the label. */
  lead: LeadName;
  /** CD.3 CSU: nominal sensitivity and its unit (µV per raw unit = sensitivity × correction × unit scale). */
  sensitivity: number;
  unit: string;
  /** CD.4 CCP: correction factor, baseline (raw units: the data value for zero input), time skew (s). */
  correction: number;
  baseline: number;
  skew: number;
  /** CD.5, Hz. */
  samplingFrequency: number;
  /** CD.6 NR: the range the sender declares for raw values. */
  min?: number;
  max?: number;
  /** µV per raw unit: sensitivity × correction × (CSU unit in µV). */
  microvoltsPerUnit: number;
  /** Where this definition is: `OBX[n]-5[rep]`. */
  location: string;
}

// CSU units of electrical potential, to µV (UCUM `uV`/`mV`/`V`; ISO+ and text forms seen in practice).
const MICROVOLTS_PER_UNIT: Readonly<Record<string, number>> = {
  nv: 1e-3, uv: 1, mv: 1e3, v: 1e6, nanovolt: 1e-3, microvolt: 1, millivolt: 1e3, volt: 1e6,
};

interface Sticky {
  sensitivity?: number;
  unit?: string;
  unitScale?: number;
  correction?: number;
  baseline?: number;
  skew?: number;
  samplingFrequency?: number;
  min?: number;
  max?: number;
}

/**
 * Reads the CD repetitions of one CHN OBX-5. Components 3 to 6 are "sticky defaults" (v2.3
 * §7.16.2): an item absent from a repetition takes the value of the last repetition that gave it,
 * within the same CHN segment; correction, baseline and skew default to 1, 0 and 0.
 * Throws DECODE_REQUIRED_FIELD_MISSING (no sensitivity/unit or frequency yet) and
 * DECODE_INVALID_VALUE (non-numeric, zero or non-voltage values), located at `OBX[n]-5[rep].c.s`.
 */
export function parseChannelDefinitions(obx: Hl7Segment, warnings: DecodeWarning[]): ChannelDefinition[] {
  const d = obx.encoding.delimiters;
  const sticky: Sticky = {};
  const out: ChannelDefinition[] = [];
  const reps = obx.repetitions(5);
  reps.forEach((rep, i) => {
    const r = i + 1;
    const at = (c?: number, s?: number): string => obx.location(5, r, c, s);
    const component = (c: number): string => pieceOf(rep, d.component, c);
    const sub = (c: number, s: number): string => obx.unescape(pieceOf(component(c), d.subcomponent, s)).trim();
    const num = (c: number, s: number, what: string): number | undefined => {
      const text = sub(c, s);
      if (text === '') return undefined;
      const v = parseHl7Number(text);
      if (v === undefined) throw new DecodeError('DECODE_INVALID_VALUE', at(c, s), `${what} is not a number`);
      return v;
    };

    if (component(3) !== '') {
      const sensitivity = num(3, 1, 'channel sensitivity');
      if (sensitivity === undefined) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', at(3, 1), 'channel sensitivity (CD.3.1) is empty');
      if (sensitivity === 0) throw new DecodeError('DECODE_INVALID_VALUE', at(3, 1), 'channel sensitivity must not be 0');
      const unitId = sub(3, 2);
      const unitText = sub(3, 3);
      if (unitId === '' && unitText === '') throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', at(3, 2), 'channel sensitivity unit (CD.3.2) is empty');
      const scale = unitScale(unitId) ?? unitScale(unitText);
      if (scale === undefined) throw new DecodeError('DECODE_INVALID_VALUE', at(3, 2), `channel sensitivity unit "${unitId.slice(0, 12)}" is not a voltage unit (uV, mV, V)`);
      Object.assign(sticky, { sensitivity, unit: unitId || unitText, unitScale: scale });
    }
    if (sticky.sensitivity === undefined || sticky.unit === undefined || sticky.unitScale === undefined) {
      throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', at(3), 'channel sensitivity and units (CD.3) missing here and in every channel before');
    }
    const correction = num(4, 1, 'sensitivity correction factor');
    if (correction === 0) throw new DecodeError('DECODE_INVALID_VALUE', at(4, 1), 'sensitivity correction factor must not be 0');
    if (correction !== undefined) sticky.correction = correction;
    const baseline = num(4, 2, 'channel baseline');
    if (baseline !== undefined) sticky.baseline = baseline;
    const skew = num(4, 3, 'channel time skew');
    if (skew !== undefined) sticky.skew = skew;
    const fs = num(5, 1, 'sampling frequency');
    if (fs !== undefined) {
      if (!(fs > 0) || !Number.isFinite(fs)) throw new DecodeError('DECODE_INVALID_VALUE', at(5), 'sampling frequency must be a positive number');
      sticky.samplingFrequency = fs;
    }
    if (sticky.samplingFrequency === undefined) {
      throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', at(5), 'sampling frequency (CD.5) missing here and in every channel before');
    }
    const min = num(6, 1, 'minimum data value');
    if (min !== undefined) sticky.min = min;
    const max = num(6, 2, 'maximum data value');
    if (max !== undefined) sticky.max = max;

    const number = num(1, 1, 'channel number');
    const def: ChannelDefinition = {
      lead: leadOf(sub(1, 2), sub(2, 1), number ?? r),
      sensitivity: sticky.sensitivity,
      unit: sticky.unit,
      correction: sticky.correction ?? 1,
      baseline: sticky.baseline ?? 0,
      skew: sticky.skew ?? 0,
      samplingFrequency: sticky.samplingFrequency,
      microvoltsPerUnit: sticky.sensitivity * (sticky.correction ?? 1) * sticky.unitScale,
      location: at(),
    };
    if (number !== undefined) def.number = number;
    if (sticky.min !== undefined) def.min = sticky.min;
    if (sticky.max !== undefined) def.max = sticky.max;
    out.push(def);
  });
  const skewed = out.find((c) => c.skew !== 0);
  if (skewed) {
    warnings.push({ code: 'HL7_TIME_SKEW_IGNORED', field: `${skewed.location}.4.3`, message: 'channel time skew is not applied; samples are taken as simultaneous' });
  }
  return out;
}

function unitScale(unit: string): number | undefined {
  return MICROVOLTS_PER_UNIT[unit.replace(/[µμ]/g, 'u').replace(/s$/i, '').toLowerCase()];
}

function leadOf(name: string, source: string, number: number): LeadName {
  return leadFromLabel(name) ?? leadFromLabel(source) ?? (name || source || `channel ${number}`);
}
