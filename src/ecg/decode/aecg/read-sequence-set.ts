import type { LeadName } from '../../lead-name';
import { normaliseLeadName } from '../../normalise-lead-name';
import { parseDicomOrHl7DateTime } from '../../parse-datetime';
import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { readQuantity } from './physical-quantity';
import { scanDigits } from './scan-digits';
import { attr, child, children, codeOf, text, type XmlElement } from './xml-element';

const TIME_CODES = new Set(['TIME_ABSOLUTE', 'TIME_RELATIVE']);
const LEAD_PREFIX = 'MDC_ECG_LEAD_';

export interface SequenceSetWaveform {
  sampleRateHz: number;
  /** ISO date-time of the first sample (TIME_ABSOLUTE head), when given. */
  startTime?: string;
  leads: Map<LeadName, Float32Array>;
}

interface TimeAxis {
  sampleRateHz: number;
  startTime?: string;
}

// aECG IG: the time sequence is GLIST_TS (TIME_ABSOLUTE) or GLIST_PQ (TIME_RELATIVE): head + increment.
function readTimeAxis(value: XmlElement | undefined, field: string): TimeAxis {
  const type = attr(value, 'type');
  if (type !== undefined && type !== 'GLIST_TS' && type !== 'GLIST_PQ') {
    throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', `${field}/@xsi:type`, `time sequence type ${type} is not supported (GLIST_TS, GLIST_PQ)`);
  }
  const incrementS = readQuantity(child(value, 'increment'), 'time', `${field}/increment`);
  if (incrementS === undefined) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', `${field}/increment/@value`, 'the time sequence needs an increment');
  if (!(incrementS > 0)) throw new DecodeError('DECODE_INVALID_VALUE', `${field}/increment/@value`, 'the sample increment must be positive');
  // 1/0.002 s is exactly 500, but 1/0.0027778 s is not 360: keep a readable rate, no float dust.
  const axis: TimeAxis = { sampleRateHz: Math.round((1 / incrementS) * 1e6) / 1e6 };
  const start = type === 'GLIST_PQ' ? undefined : parseDicomOrHl7DateTime(attr(child(value, 'head'), 'value'));
  if (start !== undefined) axis.startTime = start;
  return axis;
}

function readLead(value: XmlElement | undefined, field: string, warnings: DecodeWarning[]): Float32Array {
  const type = attr(value, 'type');
  if (type !== undefined && type !== 'SLIST_PQ') {
    throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', `${field}/@xsi:type`, `lead sequence type ${type} is not supported (SLIST_PQ)`);
  }
  const scale = readQuantity(child(value, 'scale'), 'voltage', `${field}/scale`);
  if (scale === undefined) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', `${field}/scale/@value`, 'SLIST_PQ needs a scale');
  let origin = readQuantity(child(value, 'origin'), 'voltage', `${field}/origin`);
  if (origin === undefined) {
    warnings.push({ code: 'AECG_ORIGIN_MISSING', field: `${field}/origin`, message: 'no origin; 0 assumed' });
    origin = 0;
  }
  const digitsEl = child(value, 'digits');
  if (!digitsEl) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', `${field}/digits`, 'SLIST_PQ needs digits');
  const digits = scanDigits(text(digitsEl), `${field}/digits`);
  // HL7 v3 SLIST: value = origin + scale × digit, here already in µV.
  const out = new Float32Array(digits.length);
  for (let k = 0; k < digits.length; k++) out[k] = origin + scale * (digits[k] as number);
  return out;
}

/**
 * Reads one sequenceSet: its time sequence gives the rate, each MDC_ECG_LEAD_* sequence a lead in µV.
 * Throws DECODE_REQUIRED_FIELD_MISSING, DECODE_INVALID_VALUE, DECODE_UNSUPPORTED_ENCODING and
 * DECODE_WAVEFORM_INCONSISTENT (a lead repeated, or digit counts that differ between leads).
 */
export function readSequenceSet(set: XmlElement, setField: string, warnings: DecodeWarning[]): SequenceSetWaveform {
  let axis: TimeAxis | undefined;
  const leads = new Map<LeadName, Float32Array>();
  let first: { name: LeadName; samples: number } | undefined;
  for (const component of children(set, 'component')) {
    const sequence = child(component, 'sequence');
    if (!sequence) continue;
    const code = codeOf(sequence) ?? '';
    const field = `${setField}/component/sequence[${code}]`;
    const value = child(sequence, 'value');
    if (TIME_CODES.has(code)) {
      if (axis) throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', `${field}/value`, 'a sequence set has more than one time sequence');
      axis = readTimeAxis(value, `${field}/value`);
    } else if (code.startsWith(LEAD_PREFIX)) {
      const name = normaliseLeadName(code.slice(LEAD_PREFIX.length));
      if (leads.has(name)) throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', field, `lead ${name} appears twice in one sequence set`);
      const data = readLead(value, `${field}/value`, warnings);
      if (!first) first = { name, samples: data.length };
      else if (data.length !== first.samples) {
        throw new DecodeError('DECODE_WAVEFORM_INCONSISTENT', `${field}/value/digits`, `lead ${name} has ${data.length} digits, lead ${first.name} has ${first.samples}`);
      }
      leads.set(name, data);
    } else {
      warnings.push({ code: 'AECG_SEQUENCE_IGNORED', field, message: 'sequence is neither a time axis nor an MDC_ECG_LEAD_* lead' });
    }
  }
  if (!axis) {
    throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', `${setField}/component/sequence[TIME_ABSOLUTE]`, 'the sequence set has no TIME_ABSOLUTE or TIME_RELATIVE sequence');
  }
  return { ...axis, leads };
}
