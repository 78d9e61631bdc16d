import { parseDate, parseDicomOrHl7DateTime } from '../../parse-datetime';
import type { DecodeWarning, OrderIdentifiers, PatientIdentity } from '../../record';
import { DecodeError } from '../decode-error';
import type { Hl7Segment } from './hl7-segment';

export interface Hl7Identifiers {
  patient: PatientIdentity;
  order: OrderIdentifiers;
  /** OBR-7 observation date/time (ISO); the TIM first-sample time wins when present. */
  observationTime?: string;
}

/**
 * Reads the patient (PID) and order (OBR) identifiers and MSH-10 (v2.5 ch. 3 PID, ch. 4/7 OBR):
 * - PID-3: the first CX with an ID; CX.1 is the id, CX.4 (HD namespace ID, else universal ID) the issuer.
 * - PID-5: the first XPN; family = XPN.1.1 (FN surname), given = XPN.2. PID-7 date of birth, PID-8 sex.
 * - OBR-2 placer and OBR-3 filler order number (EI.1). Accession number: OBR-18 (Placer Field 1),
 *   which IHE Radiology/Cardiology orders use for the DICOM Accession Number; OBR-3 stays the
 *   filler order number and is not copied into the accession number.
 * - OBR-7 observation date/time.
 * Throws DECODE_REQUIRED_FIELD_MISSING at PID-3 when no patient identifier is given.
 */
export function readHl7Identifiers(msh: Hl7Segment, pid: Hl7Segment, obr: Hl7Segment | undefined, warnings: DecodeWarning[]): Hl7Identifiers {
  const patient: PatientIdentity = {};
  const reps = pid.repetitions(3).length;
  let idRep = 0;
  for (let r = 1; r <= reps && idRep === 0; r++) if (pid.get(3, 1, 1, r).trim() !== '') idRep = r;
  if (idRep === 0) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', 'PID-3', 'PID-3 patient identifier list is empty');
  patient.id = pid.get(3, 1, 1, idRep).trim();
  const issuer = (pid.get(3, 4, 1, idRep) || pid.get(3, 4, 2, idRep)).trim();
  if (issuer) patient.issuer = issuer;
  setIf(patient, 'family', pid.get(5, 1, 1).trim());
  setIf(patient, 'given', pid.get(5, 2).trim());
  const birth = pid.get(7).trim();
  if (birth !== '') {
    const birthDate = parseDate(birth);
    if (birthDate) patient.birthDate = birthDate;
    else warnings.push({ code: 'HL7_INVALID_DATE', field: pid.location(7), message: 'PID-7 date of birth is not a date' });
  }
  setIf(patient, 'sex', pid.get(8).trim().toUpperCase());

  const order: OrderIdentifiers = { messageControlId: msh.get(10).trim() };
  let observationTime: string | undefined;
  if (obr) {
    setIf(order, 'placerOrderNumber', obr.get(2).trim());
    setIf(order, 'fillerOrderNumber', obr.get(3).trim());
    setIf(order, 'accessionNumber', obr.get(18).trim());
    const obr7 = obr.get(7).trim();
    if (obr7 !== '') {
      observationTime = parseDicomOrHl7DateTime(obr7);
      if (observationTime === undefined) warnings.push({ code: 'HL7_INVALID_DATE', field: obr.location(7), message: 'OBR-7 observation date/time is not a TS' });
    }
  }
  return observationTime === undefined ? { patient, order } : { patient, order, observationTime };
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: string): void {
  if (value !== '') (target as Record<K, string>)[key] = value;
}
