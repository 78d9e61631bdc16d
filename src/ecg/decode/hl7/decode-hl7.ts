import { assembleRecord } from '../../assemble-record';
import type { EcgRecord, EcgSource } from '../../record';
import { isGatewayError } from '../../../errors/gateway-error';
import { DecodeError } from '../decode-error';
import { checkMessageHeader } from './check-message-header';
import { classifyObservation } from './classify-observation';
import type { Hl7Segment } from './hl7-segment';
import { overlayHl7Context } from './overlay-hl7-context';
import { readEdPayload, type EdPayload } from './read-ed-payload';
import { readHl7Identifiers } from './read-hl7-identifiers';
import { readHl7Message } from './read-hl7-message';
import { messageHeaderOf } from './read-message-header';
import { readNmMeasurements } from './read-nm-measurements';
import { readOruStructure } from './read-oru-structure';
import { readWaveformBattery, type TypedObservation } from './read-waveform-battery';

/** Decodes a DICOM or aECG object carried in OBX ED; `field` is where it sits (`OBX[n]-5.5`). */
export type NestedDecoder = (bytes: Uint8Array, field: string) => EcgRecord;

/**
 * Decodes an HL7 v2.3–2.8 ORU^R01/W01 ECG: a waveform battery (OBX TIM/CHN/WAV, NA or MA data)
 * or a DICOM/aECG object in OBX ED, plus PID/OBR identifiers and LOINC NM measurements.
 * Every error's `field` is an HL7 location (`OBX[3]-5[2]`, see hl7-location.ts).
 * Throws DecodeError: DECODE_MALFORMED, DECODE_UNSUPPORTED_ENCODING, DECODE_UNSUPPORTED_MESSAGE_TYPE,
 * DECODE_UNSUPPORTED_PROCESSING_ID, DECODE_UNSUPPORTED_VERSION, DECODE_REQUIRED_FIELD_MISSING,
 * DECODE_INVALID_VALUE, DECODE_WAVEFORM_INCONSISTENT, DECODE_TRUNCATED, DECODE_NO_WAVEFORM, and
 * the nested decoder's codes (relocated to the ED field).
 */
export function decodeHl7(bytes: Uint8Array, decodeNested: NestedDecoder): EcgRecord {
  const message = readHl7Message(bytes);
  const warnings = [...message.warnings];
  const msh = message.segments[0]!;
  const header = messageHeaderOf(msh);
  checkMessageHeader(header);
  const { pid, observations } = readOruStructure(message.segments);
  const typed: TypedObservation[] = observations.map((o) => ({ ...o, ...classifyObservation(o.obx, warnings) }));
  const ecgObr = (typed.find((o) => o.kind === 'WAV') ?? typed.find((o) => o.kind === 'ED'))?.obr ?? message.segments.find((s) => s.name === 'OBR');
  const identifiers = readHl7Identifiers(msh, pid, ecgObr, warnings);
  const measurements = readNmMeasurements(typed, warnings);
  const source: EcgSource = { format: 'hl7v2', encoding: header.version };
  if (header.sendingApplication) source.sendingApplication = header.sendingApplication;
  if (header.sendingFacility) source.sendingFacility = header.sendingFacility;

  const last = message.segments[message.segments.length - 1];
  // The bytes stop inside this OBX-5 (last segment, no terminator, no field after OBX-5).
  const endsMessage = (obx: Hl7Segment): boolean => !message.terminated && obx === last && obx.fieldCount <= 5;
  const battery = readWaveformBattery(typed, endsMessage, warnings);
  if (battery) {
    const ed = typed.find((o) => o.kind === 'ED');
    if (ed) warnings.push({ code: 'HL7_ED_IGNORED', field: ed.obx.location(5), message: 'the message has a waveform battery; the OBX ED object is not decoded' });
    const acquisitionTime = battery.firstSampleTime ?? identifiers.observationTime;
    return assembleRecord(
      {
        format: 'hl7v2',
        sampleRateHz: battery.sampleRateHz,
        leads: battery.leads,
        patient: identifiers.patient,
        order: identifiers.order,
        measurements,
        source,
        warnings,
        ...(acquisitionTime === undefined ? {} : { acquisitionTime }),
      },
      battery.dataField,
    );
  }

  for (const o of typed) {
    if (o.kind !== 'ED') continue;
    const payload = readEdPayload(o.obx);
    if (!payload) {
      warnings.push({ code: 'HL7_ED_NOT_ECG', field: o.obx.location(5, undefined, 3), message: 'OBX ED that is neither DICOM nor XML is not decoded' });
      continue;
    }
    const nested = decodeEmbedded(decodeNested, payload);
    return overlayHl7Context(nested, { identifiers, measurements, source, warnings }, payload.field);
  }
  throw new DecodeError('DECODE_NO_WAVEFORM', 'OBX-3', 'no waveform observations (OBX-3 TIM/CHN/WAV) and no DICOM or aECG object in OBX ED');
}

function decodeEmbedded(decodeNested: NestedDecoder, payload: EdPayload): EcgRecord {
  try {
    return decodeNested(payload.bytes, payload.field);
  } catch (err: unknown) {
    // Keep the code, point ERR-2 at the ED field, and say where inside the object it failed.
    if (isGatewayError(err) && err.field !== payload.field) {
      const what = payload.kind === 'dicom' ? 'DICOM' : 'XML';
      throw new DecodeError(err.code, payload.field, `embedded ${what} object: ${err.message} (at ${err.field ?? 'unknown'})`, err);
    }
    throw err;
  }
}
