import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { pieceOf, type Hl7Segment } from './hl7-segment';

/** Waveform categories (v2.3 ch. 7.16, OBX-3 suffix) and the other OBX the decoder reads. */
export type ObservationKind = 'TIM' | 'CHN' | 'WAV' | 'ANO' | 'ED' | 'NM' | 'other';

export interface ClassifiedObservation {
  kind: ObservationKind;
  /** OBX-2 value type, upper-case. */
  valueType: string;
  /** OBX-4 sub-ID: groups a waveform battery. */
  subId: string;
}

const SUFFIXES: ReadonlySet<string> = new Set(['TIM', 'CHN', 'WAV', 'ANO']);
// v2.3 §7.16: each category has one value type.
const VALUE_TYPES: Readonly<Record<string, readonly string[]>> = { TIM: ['TS', 'DTM'], CHN: ['CD'], WAV: ['NA', 'MA'], ANO: ['CE', 'CWE'] };

/**
 * Finds the category of an OBX. The suffix is the last subcomponent of the OBX-3 identifier
 * (`93000&WAV`); senders that put it in its own component (`93000^WAV`) or glue it on
 * (`93000.WAV`) are accepted too. A CD, NA or MA value without any suffix is taken by its type,
 * with a warning. Throws DECODE_INVALID_VALUE (OBX-2) when suffix and value type disagree.
 */
export function classifyObservation(obx: Hl7Segment, warnings: DecodeWarning[]): ClassifiedObservation {
  const valueType = obx.get(2).trim().toUpperCase();
  const subId = obx.get(4).trim();
  let suffix = findSuffix(obx);
  if (suffix === undefined) {
    if (valueType === 'CD' || valueType === 'NA' || valueType === 'MA') {
      suffix = valueType === 'CD' ? 'CHN' : 'WAV';
      warnings.push({ code: 'HL7_WAVEFORM_SUFFIX_INFERRED', field: obx.location(3), message: `OBX-3 has no TIM/CHN/WAV suffix; taken as ${suffix} from value type ${valueType}` });
    } else if (valueType === 'ED') return { kind: 'ED', valueType, subId };
    else if (valueType === 'NM') return { kind: 'NM', valueType, subId };
    else return { kind: 'other', valueType, subId };
  }
  checkCodingSystemName(obx);
  const allowed = VALUE_TYPES[suffix] ?? [];
  if (!allowed.includes(valueType)) {
    if (suffix === 'CHN' || suffix === 'WAV') {
      throw new DecodeError('DECODE_INVALID_VALUE', obx.location(2), `a ${suffix} observation must have value type ${allowed.join(' or ')}`);
    }
    warnings.push({ code: 'HL7_WAVEFORM_TYPE_MISMATCH', field: obx.location(2), message: `${suffix} observation with value type ${valueType.slice(0, 3)} is ignored` });
    return { kind: 'other', valueType, subId };
  }
  return { kind: suffix as ObservationKind, valueType, subId };
}

// HL7 table 0396: a coding system is named by a code ("L", "LN", "99ECG", "ISO+"), never by text.
const CODING_SYSTEM = /^[A-Za-z0-9+_.-]{1,20}$/;

/**
 * A waveform observation identifier is a CE/CWE: identifier^text^name of coding system. Free text
 * in OBX-3.3 means the components are shifted (e.g. an extra value pushed the text one place on),
 * so the observation cannot be trusted to be what it claims. Throws DECODE_INVALID_VALUE at OBX-3.3.
 */
function checkCodingSystemName(obx: Hl7Segment): void {
  const system = obx.get(3, 3).trim();
  if (system !== '' && !CODING_SYSTEM.test(system)) {
    throw new DecodeError('DECODE_INVALID_VALUE', obx.location(3, undefined, 3), 'OBX-3 name of coding system must be a table 0396 code, not free text (components shifted?)');
  }
}

function findSuffix(obx: Hl7Segment): string | undefined {
  const d = obx.encoding.delimiters;
  const identifier = pieceOf(pieceOf(obx.raw(3), d.repetition, 1), d.component, 1);
  const subs = identifier.split(d.subcomponent);
  const last = subs[subs.length - 1]!.trim().toUpperCase();
  if (SUFFIXES.has(last)) return last;
  const glued = /[._\-\s](TIM|CHN|WAV|ANO)$/i.exec(identifier.trim());
  if (glued) return glued[1]!.toUpperCase();
  for (let c = 2; c <= 6; c++) {
    const comp = obx.get(3, c).trim().toUpperCase();
    if (SUFFIXES.has(comp)) return comp;
  }
  return undefined;
}
