import { parseDate } from '../../parse-datetime';
import type { PatientIdentity } from '../../record';
import { attr, child, children, descend, text, type XmlElement } from './xml-element';

// HL7 v3 AdministrativeGender → the record's M/F/O/U. v3 "UN" is "undifferentiated", but carts
// send it for "not entered" (the Mindray fixture's own statement says it did not know the sex).
const SEX: Readonly<Record<string, string>> = { M: 'M', F: 'F', UN: 'U' };

function setIfPresent<K extends keyof PatientIdentity>(patient: PatientIdentity, key: K, value: PatientIdentity[K] | undefined): void {
  if (value !== undefined && value !== '') patient[key] = value;
}

/**
 * The trial subject as identified in `componentOf/timepointEvent/componentOf/subjectAssignment/
 * subject/trialSubject`: id (extension, root as issuer; a lone root is the id itself), name,
 * birthTime, administrativeGenderCode. A name without parts goes to `family`, as HL7 v2 PID-5
 * with one component does. Mindray writes its own `PatientID` element when there is no id.
 */
export function readAecgPatient(root: XmlElement): PatientIdentity {
  const subject = descend(root, 'componentOf', 'timepointEvent', 'componentOf', 'subjectAssignment', 'subject', 'trialSubject');
  const person = child(subject, 'subjectDemographicPerson');
  const patient: PatientIdentity = {};

  const id = children(subject, 'id').find((el) => attr(el, 'extension') !== undefined || attr(el, 'root') !== undefined);
  const extension = attr(id, 'extension');
  if (extension !== undefined) {
    patient.id = extension;
    setIfPresent(patient, 'issuer', attr(id, 'root'));
  } else {
    setIfPresent(patient, 'id', attr(id, 'root') ?? text(child(person, 'PatientID')));
  }

  const name = child(person, 'name');
  const family = children(name, 'family').map(text).filter((t) => t !== '');
  const given = children(name, 'given').map(text).filter((t) => t !== '');
  setIfPresent(patient, 'family', family.length > 0 ? family.join(' ') : text(name));
  if (given.length > 0) patient.given = given.join(' ');

  setIfPresent(patient, 'birthDate', parseDate(attr(child(person, 'birthTime'), 'value')));
  const gender = attr(child(person, 'administrativeGenderCode'), 'code');
  setIfPresent(patient, 'sex', gender === undefined ? undefined : SEX[gender.toUpperCase()]);
  return patient;
}
