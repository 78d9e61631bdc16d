import type { Patient, Reference } from '@medplum/fhirtypes';
import type { PatientIdentity } from '../../ecg/record';
import { GatewayError } from '../../errors/gateway-error';
import type { FhirMappings } from './fhir-mappings';
import type { PatientReferenceMode } from './mapping-input';
import { conditionalPatientReference, patientIdentifierSystem, patientKey, type ResourceKey } from './resource-ids';

export interface PatientSubject {
  subject: Reference<Patient>;
  /** With conditional-create: the minimal Patient to create when no Patient has the identifier. */
  create?: { key: ResourceKey; resource: Patient };
}

/**
 * The subject by patient identifier (standards.md §5.3): a conditional reference
 * `Patient?identifier=system|value` the server resolves, or a conditional create of a minimal
 * Patient. Throws FHIR_MAPPING_FAILED when the ECG carries no patient identifier.
 */
export function patientSubject(patient: PatientIdentity, mode: PatientReferenceMode, mappings: FhirMappings): PatientSubject {
  const value = patient.id?.trim();
  if (!value) {
    throw new GatewayError('FHIR_MAPPING_FAILED', 'the ECG carries no patient identifier, so its results cannot be filed to a patient', {
      field: 'Observation.subject',
    });
  }
  const system = patientIdentifierSystem(mappings['identifier-systems'], patient.issuer);
  if (mode === 'conditional-reference') return { subject: { reference: conditionalPatientReference(system, value) } };
  const key = patientKey(system, value);
  const resource: Patient = { resourceType: 'Patient', identifier: [{ system, value }] };
  const name = { ...(patient.family ? { family: patient.family } : {}), ...(patient.given ? { given: [patient.given] } : {}) };
  if (Object.keys(name).length > 0) resource.name = [name];
  const gender = patient.sex ? mappings['fhir-vocabulary'].gender[patient.sex.toUpperCase()] : undefined;
  if (gender) resource.gender = gender;
  if (patient.birthDate && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(patient.birthDate)) resource.birthDate = patient.birthDate;
  return { subject: { reference: key.fullUrl }, create: { key, resource } };
}
