import type { PatientReferenceMode } from './mapping/mapping-input';

/** Nest token: the validated code tables of mappings/ (FhirMappings). */
export const FHIR_MAPPINGS = Symbol('FHIR_MAPPINGS');
/** Nest token: FhirDeliverySettings. */
export const FHIR_DELIVERY_SETTINGS = Symbol('FHIR_DELIVERY_SETTINGS');
/** Nest token: the embedded /fhir FhirEngine (only when FHIR_BASE_URL is unset). */
export const EMBEDDED_FHIR_ENGINE = Symbol('EMBEDDED_FHIR_ENGINE');

export interface FhirDeliverySettings {
  patientReference: PatientReferenceMode;
  sourceTimeZone: string;
  gatewayVersion: string;
  /** `embedded` (this gateway's /fhir) or the EHR's base URL. */
  target: string;
  /** How deliveries authenticate: SMART Backend Services, the per-process credential of the embedded /fhir, or not at all. */
  auth: 'none' | 'smart-backend-services' | 'internal-credential';
}
