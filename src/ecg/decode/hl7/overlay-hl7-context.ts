import type { DecodeWarning, DeviceMeasurement, EcgRecord, EcgSource } from '../../record';
import type { Hl7Identifiers } from './read-hl7-identifiers';

/** What the HL7 message itself says about an ECG it carries in OBX ED. */
export interface Hl7Context {
  identifiers: Hl7Identifiers;
  measurements: Record<string, DeviceMeasurement>;
  source: EcgSource;
  warnings: DecodeWarning[];
}

/**
 * Puts the message's identifiers (MSH-10, PID, OBR), NM measurements and sender onto the record
 * decoded from an embedded DICOM/aECG object: the HL7 values win where both have one (the message
 * is what the sender vouches for), with a warning when the patient ID or birth date disagree.
 * Signals, rate and acquisition time stay the embedded object's; OBR-7 only fills a missing time.
 * `format` and `source.format` become `hl7v2`, `source.wrappedFormat` the object's format, and
 * `source.encoding` the HL7 version (the embedded transfer syntax is not kept). Embedded warnings
 * keep their code, their field prefixed with the ED location (`OBX[8]-5.5/(003A,0210)`).
 */
export function overlayHl7Context(nested: EcgRecord, ctx: Hl7Context, edField: string): EcgRecord {
  const warnings = [...ctx.warnings];
  const hl7 = ctx.identifiers.patient;
  if (nested.patient.id !== undefined && hl7.id !== undefined && nested.patient.id.trim() !== hl7.id) {
    warnings.push({ code: 'HL7_ED_PATIENT_MISMATCH', field: 'PID-3', message: 'PID-3 differs from the patient ID inside the embedded object; PID-3 is used' });
  }
  if (nested.patient.birthDate !== undefined && hl7.birthDate !== undefined && nested.patient.birthDate !== hl7.birthDate) {
    warnings.push({ code: 'HL7_ED_PATIENT_MISMATCH', field: 'PID-7', message: 'PID-7 differs from the birth date inside the embedded object; PID-7 is used' });
  }
  for (const w of nested.warnings) warnings.push({ ...w, field: `${edField}/${w.field}` });
  const record: EcgRecord = {
    ...nested,
    format: 'hl7v2',
    patient: { ...nested.patient, ...hl7 },
    order: { ...nested.order, ...ctx.identifiers.order },
    measurements: { ...nested.measurements, ...ctx.measurements },
    source: { ...nested.source, ...ctx.source, wrappedFormat: nested.format },
    warnings,
  };
  const time = nested.acquisitionTime ?? ctx.identifiers.observationTime;
  if (time !== undefined) record.acquisitionTime = time;
  return record;
}
