import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { gatewayDevice, modelDevice } from './device-resources';
import { ecgObservation, measurementObservations, type EcgObservationContext } from './ecg-observations';
import type { FhirMappings } from './fhir-mappings';
import { toFhirDateTime } from './fhir-datetime';
import type { EcgBundleInput } from './mapping-input';
import type { MappingWarning } from './mapping-warning';
import { modelResources } from './model-resources';
import { patientSubject } from './patient-subject';
import { provenance } from './provenance';
import { resourceKeys } from './resource-ids';

export interface EcgBundle {
  bundle: Bundle;
  warnings: MappingWarning[];
}

/**
 * One FHIR R4 transaction Bundle per ECG and model run (standards.md §5): the ECG Observation,
 * the device measurements, per model its Device, its outputs (RiskAssessment / Observation) and
 * a Provenance, the gateway's Device and the ECG's Provenance, and — with conditional-create —
 * a minimal Patient. Every entry is a conditional create keyed by a deterministic identifier
 * (resource-ids.ts). Pure: time, mappings and results are arguments.
 * Throws FHIR_MAPPING_FAILED (no patient identifier, output coding key not in mappings/).
 */
export function buildEcgBundle(input: EcgBundleInput, mappings: FhirMappings): EcgBundle {
  const warnings: MappingWarning[] = [];
  const systems = mappings['identifier-systems'];
  const keys = resourceKeys(systems, input.ecgKey);
  const { subject, create } = patientSubject(input.record.patient, input.patientReference, mappings);
  const effectiveDateTime = toFhirDateTime(input.record.acquisitionTime, input.sourceTimeZone);
  if (input.record.acquisitionTime !== undefined && effectiveDateTime === undefined) {
    warnings.push({ code: 'TIME_UNPARSED', field: 'Observation.effectiveDateTime', message: 'the acquisition time is not an ISO 8601 date-time; left out' });
  }
  const sourceIdentifiers = input.record.order.sopInstanceUid ? [{ system: systems.dicomUid, value: `urn:oid:${input.record.order.sopInstanceUid}` }] : [];
  const ctx: EcgObservationContext = { record: input.record, mappings, keys, subject, effectiveDateTime, sourceIdentifiers };

  const entries: BundleEntry[] = [];
  const add = (fullUrl: string, resource: Resource, ifNoneExist: string): void => {
    entries.push({ fullUrl, resource, request: { method: 'POST', url: resource.resourceType, ifNoneExist } });
  };

  if (create) add(create.key.fullUrl, create.resource, create.key.ifNoneExist);
  const gatewayKey = keys.gatewayDevice(input.gatewayVersion);
  add(gatewayKey.fullUrl, gatewayDevice(input.gatewayVersion, mappings, keys), gatewayKey.ifNoneExist);

  const ecgKey = keys.ecgObservation();
  add(ecgKey.fullUrl, ecgObservation(ctx, warnings), ecgKey.ifNoneExist);
  const ecgTargets = [ecgKey.fullUrl];
  for (const m of measurementObservations(ctx, ecgKey.fullUrl)) {
    const k = keys.measurement(m.loinc);
    add(k.fullUrl, m.resource, k.ifNoneExist);
    ecgTargets.push(k.fullUrl);
  }
  const provenanceSources = [ecgKey.identifier, ...sourceIdentifiers];
  const ecgProvenanceKey = keys.provenance();
  add(
    ecgProvenanceKey.fullUrl,
    provenance({ key: ecgProvenanceKey, targets: ecgTargets, recordedAt: input.recordedAt, gatewayDeviceFullUrl: gatewayKey.fullUrl, sourceIdentifiers: provenanceSources }, mappings),
    ecgProvenanceKey.ifNoneExist,
  );

  const seenDevices = new Set<string>();
  for (const result of input.models) {
    const deviceKey = keys.modelDevice(result.model.sha256);
    if (!seenDevices.has(deviceKey.fullUrl)) {
      seenDevices.add(deviceKey.fullUrl);
      add(deviceKey.fullUrl, modelDevice(result.model, mappings, keys), deviceKey.ifNoneExist);
    }
    const outputs = modelResources(result, {
      mappings,
      keys,
      subject,
      ecgFullUrl: ecgKey.fullUrl,
      modelDeviceFullUrl: deviceKey.fullUrl,
      effectiveDateTime,
      recordedAt: input.recordedAt,
    });
    for (const o of outputs) add(o.key.fullUrl, o.resource, o.key.ifNoneExist);
    if (outputs.length > 0) {
      const pKey = keys.provenance({ id: result.model.id, version: result.model.version });
      add(
        pKey.fullUrl,
        provenance(
          {
            key: pKey,
            targets: outputs.map((o) => o.key.fullUrl),
            recordedAt: input.recordedAt,
            gatewayDeviceFullUrl: gatewayKey.fullUrl,
            modelDeviceFullUrl: deviceKey.fullUrl,
            derivedFromFullUrl: ecgKey.fullUrl,
            sourceIdentifiers: provenanceSources,
          },
          mappings,
        ),
        pKey.ifNoneExist,
      );
    }
  }
  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries }, warnings };
}
