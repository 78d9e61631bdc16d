import type { Observation, ObservationComponent, Patient, Reference } from '@medplum/fhirtypes';
import type { EcgRecord } from '../../ecg/record';
import type { FhirMappings } from './fhir-mappings';
import type { MappingWarning } from './mapping-warning';
import type { ResourceKeys } from './resource-ids';
import { toSampledData } from './sampled-data';
import { fillText } from './fill-text';

export interface EcgObservationContext {
  record: EcgRecord;
  mappings: FhirMappings;
  keys: ResourceKeys;
  subject: Reference<Patient>;
  effectiveDateTime: string | undefined;
  /** Identifiers the source gave the ECG (DICOM SOP Instance UID) besides the gateway's own. */
  sourceIdentifiers: ReadonlyArray<{ system: string; value: string }>;
}

/**
 * The ECG Observation (LOINC 11524-6, standards.md §5.1): one SampledData component per lead and
 * one valueQuantity component per device measurement.
 */
export function ecgObservation(ctx: EcgObservationContext, warnings: MappingWarning[]): Observation {
  const { record, mappings } = ctx;
  const codes = mappings['ecg-codes'];
  const leadCodes = mappings['lead-codes'];
  const units = mappings.units;
  const components: ObservationComponent[] = [];
  for (const [lead, samples] of Object.entries(record.leads)) {
    const mapped = leadCodes.leads[lead];
    if (!mapped) warnings.push({ code: 'LEAD_UNCODED', field: `Observation.component[${components.length}].code`, message: `lead ${lead} has no MDC code in mappings/lead-codes.json; written as text` });
    components.push({
      code: mapped ? { coding: [{ system: leadCodes.system, code: mapped.code, display: mapped.display }], text: lead } : { text: lead },
      valueSampledData: toSampledData(samples, record.sampleRateHz, { system: units.system, ...units.sampledData }),
    });
  }
  for (const m of measurementsOf(record, mappings, warnings)) {
    components.push({ code: { coding: [m.coding], text: m.coding.display }, valueQuantity: m.quantity });
  }
  const device = deviceDisplay(record);
  const notes = record.derivedLeads.length > 0 ? [{ text: fillText(mappings['fhir-vocabulary'].texts.derivedLeads, { leads: record.derivedLeads.join(', ') }) }] : [];
  return {
    resourceType: 'Observation',
    identifier: [ctx.keys.ecgObservation().identifier, ...ctx.sourceIdentifiers],
    status: 'final',
    category: [{ coding: [codes.category] }],
    code: { coding: [codes.study], text: codes.study.display },
    subject: ctx.subject,
    ...(ctx.effectiveDateTime ? { effectiveDateTime: ctx.effectiveDateTime } : {}),
    ...(device ? { device: { display: device } } : {}),
    ...(notes.length > 0 ? { note: notes } : {}),
    component: components,
  };
}

/** One Observation per device measurement, derived from the ECG Observation. */
export function measurementObservations(ctx: EcgObservationContext, ecgFullUrl: string): Array<{ loinc: string; resource: Observation }> {
  const codes = ctx.mappings['ecg-codes'];
  return measurementsOf(ctx.record, ctx.mappings, []).map((m) => ({
    loinc: m.coding.code,
    resource: {
      resourceType: 'Observation',
      identifier: [ctx.keys.measurement(m.coding.code).identifier],
      status: 'final',
      category: [{ coding: [codes.category] }],
      code: { coding: [m.coding], text: m.coding.display },
      subject: ctx.subject,
      ...(ctx.effectiveDateTime ? { effectiveDateTime: ctx.effectiveDateTime } : {}),
      valueQuantity: m.quantity,
      derivedFrom: [{ reference: ecgFullUrl }],
    },
  }));
}

interface MappedMeasurement {
  coding: { system: string; code: string; display: string };
  quantity: { value: number; unit: string; system: string; code: string };
}

function measurementsOf(record: EcgRecord, mappings: FhirMappings, warnings: MappingWarning[]): MappedMeasurement[] {
  const codes = mappings['ecg-codes'];
  const units = mappings.units;
  const out: MappedMeasurement[] = [];
  for (const [loinc, m] of Object.entries(record.measurements)) {
    const mapped = codes.measurements[loinc];
    if (!mapped) {
      warnings.push({ code: 'MEASUREMENT_UNMAPPED', field: `measurements.${loinc}`, message: `measurement ${loinc} is not in mappings/ecg-codes.json; left out` });
      continue;
    }
    if (m.unit !== mapped.unit || !Number.isFinite(m.value)) {
      warnings.push({ code: 'MEASUREMENT_UNIT', field: `measurements.${loinc}`, message: `measurement ${loinc} is in ${m.unit}, mappings/ecg-codes.json expects ${mapped.unit}; left out` });
      continue;
    }
    out.push({
      coding: { system: codes.measurementSystem, code: loinc, display: mapped.display },
      quantity: { value: m.value, unit: units.displays[mapped.unit] ?? mapped.unit, system: units.system, code: mapped.unit },
    });
  }
  return out;
}

function deviceDisplay(record: EcgRecord): string | undefined {
  const parts = [record.source.manufacturer, record.source.deviceModel].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}
