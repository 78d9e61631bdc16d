import { DecodeError } from '../decode-error';
import type { Hl7Segment } from './hl7-segment';

/** One OBX with the OBR it reports under. */
export interface Observation {
  obx: Hl7Segment;
  obr: Hl7Segment;
}

/** The parts of an ORU^R01/W01 the decoder reads. */
export interface OruStructure {
  pid: Hl7Segment;
  observations: Observation[];
}

/**
 * Groups OBX under their OBR (v2.5 §7.3.1: `{ [ORC] OBR … { [OBX] [{NTE}] } }`) and finds the
 * one patient. The gateway needs a patient, so PID is required although ORU_R01 makes it optional.
 * Throws DECODE_MALFORMED (table 0357 code 100: required segment missing or out of order).
 */
export function readOruStructure(segments: readonly Hl7Segment[]): OruStructure {
  let pid: Hl7Segment | undefined;
  let obr: Hl7Segment | undefined;
  const observations: Observation[] = [];
  for (const s of segments) {
    switch (s.name) {
      case 'PID':
        if (pid) throw new DecodeError('DECODE_MALFORMED', s.location(), 'the message holds more than one patient (PID); send one ECG per message');
        if (obr) throw new DecodeError('DECODE_MALFORMED', s.location(), 'PID comes after OBR');
        pid = s;
        break;
      case 'OBR':
        obr = s;
        break;
      case 'OBX':
        if (!obr) throw new DecodeError('DECODE_MALFORMED', s.location(), 'OBX comes before any OBR');
        observations.push({ obx: s, obr });
        break;
      default:
        break;
    }
  }
  if (!pid) throw new DecodeError('DECODE_MALFORMED', 'PID', 'the message has no PID segment');
  return { pid, observations };
}
