import type { Provenance, ProvenanceAgent, ProvenanceEntity } from '@medplum/fhirtypes';
import type { FhirMappings } from './fhir-mappings';
import type { TagKey } from './resource-ids';

export interface ProvenanceInput {
  key: TagKey;
  /** fullUrls of the resources this activity produced. */
  targets: readonly string[];
  recordedAt: string;
  gatewayDeviceFullUrl: string;
  /** The model Device when this is a model run; absent for the ECG's own resources. */
  modelDeviceFullUrl?: string;
  /** The ECG Observation a model run was derived from. */
  derivedFromFullUrl?: string;
  /** Identifiers of the source message (gateway ECG key, DICOM SOP Instance UID). */
  sourceIdentifiers: ReadonlyArray<{ system: string; value: string }>;
}

/**
 * Provenance (standards.md §5.2): targets, agents (model Device as author, gateway Device as
 * assembler), entities (the source message, and the ECG Observation a model run used). R4
 * Provenance has no identifier, so its conditional create is keyed by a `meta.tag`.
 */
export function provenance(input: ProvenanceInput, mappings: FhirMappings): Provenance {
  const p = mappings['fhir-vocabulary'].provenance;
  const texts = mappings['fhir-vocabulary'].texts;
  const agent: ProvenanceAgent[] = [];
  if (input.modelDeviceFullUrl) agent.push({ type: { coding: [p.modelAgent] }, who: { reference: input.modelDeviceFullUrl } });
  agent.push({ type: { coding: [p.gatewayAgent] }, who: { reference: input.gatewayDeviceFullUrl } });
  const entity: ProvenanceEntity[] = [];
  if (input.derivedFromFullUrl) entity.push({ role: p.derivationRole, what: { reference: input.derivedFromFullUrl } });
  for (const identifier of input.sourceIdentifiers) entity.push({ role: p.sourceRole, what: { identifier, display: texts.ecgSource } });
  return {
    resourceType: 'Provenance',
    meta: { tag: [input.key.tag] },
    target: input.targets.map((reference) => ({ reference })),
    recorded: input.recordedAt,
    activity: { coding: [p.activity] },
    agent,
    ...(entity.length > 0 ? { entity } : {}),
  };
}
