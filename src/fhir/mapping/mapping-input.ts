import type { EcgRecord } from '../../ecg/record';

/**
 * What the FHIR mapping needs from a model run: a narrow, structural view of the inference
 * results (`src/inference/model-result.ts`), so the mapping does not depend on how they are
 * produced and a `ModelResult[]` read back from the store can be passed as it is.
 */
export interface MappableModel {
  id: string;
  name: string;
  version: string;
  sha256: string;
  clinicallyValidated: boolean;
  intendedUse: string;
}

export interface MappableReason {
  code: string;
  message: string;
  lead?: string;
}

export type MappableStratum = 'low' | 'intermediate' | 'high';

interface MappableOutputBase {
  key: string;
  meaning: string;
  /** Key into mappings/model-outputs.json. */
  coding: string;
}

export type MappableOutput =
  | (MappableOutputBase & { kind: 'probability'; status: 'scored'; probability: number; stratum?: MappableStratum })
  | (MappableOutputBase & { kind: 'regression'; status: 'scored'; value: number; unit: string })
  | (MappableOutputBase & { kind: 'class'; status: 'scored'; label: string; probability: number })
  | (MappableOutputBase & { kind: 'probability' | 'regression' | 'class'; status: 'indeterminate'; reason: MappableReason });

export type MappableModelResult =
  | { model: MappableModel; status: 'scored'; outputs: readonly MappableOutput[] }
  | { model: MappableModel; status: 'indeterminate'; reason: MappableReason; outputs: readonly MappableOutput[] };

export type PatientReferenceMode = 'conditional-reference' | 'conditional-create';

/** Everything the pure mapping takes besides the code tables. */
export interface EcgBundleInput {
  record: EcgRecord;
  /** From `ecgKeyFor` (resource-ids.ts). */
  ecgKey: string;
  models: readonly MappableModelResult[];
  /** How the subject is written (FHIR_PATIENT_REFERENCE). */
  patientReference: PatientReferenceMode;
  /** IANA zone for source times that carry no UTC offset (HL7 TS, DICOM DT without offset). */
  sourceTimeZone: string;
  gatewayVersion: string;
  /** Instant the results were produced (Provenance.recorded, RiskAssessment.occurrence); same on every retry. */
  recordedAt: string;
}
