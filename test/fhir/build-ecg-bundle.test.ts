import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, Device, Observation, Patient, Provenance, Resource, RiskAssessment } from '@medplum/fhirtypes';
import { isGatewayError } from '../../src/errors/gateway-error';
import { buildEcgBundle } from '../../src/fhir/mapping/build-ecg-bundle';
import type { EcgBundleInput } from '../../src/fhir/mapping/mapping-input';
import { ecgKeyFor } from '../../src/fhir/mapping/resource-ids';
import { fromSampledData } from '../../src/fhir/mapping/sampled-data';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { loadR4Definitions } from '../../src/fhir/server/r4-definitions';
import { validateRequestBody } from '../../src/fhir/server/validate-resources';
import { fixtureEcg } from './fixture-ecg';
import { indeterminateResult, modelIdentity, scoredResult } from './synthetic-results';

loadR4Definitions();
const mappings = loadFhirMappings();
const hl7 = fixtureEcg('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const dicom = fixtureEcg('dicom', 'ecgtoolkit_Example.dcm');

function input(overrides: Partial<EcgBundleInput> = {}): EcgBundleInput {
  const record = overrides.record ?? hl7;
  return {
    record,
    ecgKey: ecgKeyFor(record, { sha256: 'f'.repeat(64) }),
    models: [scoredResult()],
    patientReference: 'conditional-create',
    sourceTimeZone: 'Europe/Paris',
    gatewayVersion: '0.1.0',
    recordedAt: '2024-03-05T09:20:00.000Z',
    ...overrides,
  };
}

function resources<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

const AIAST = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'AIAST' };

test('every resource of the bundle (and the bundle) validates against FHIR R4', () => {
  for (const record of [hl7, dicom]) {
    for (const patientReference of ['conditional-create', 'conditional-reference'] as const) {
      const { bundle } = buildEcgBundle(input({ record, patientReference, models: [scoredResult(), indeterminateResult(modelIdentity({ id: 'other', sha256: 'b'.repeat(64) }))] }), mappings);
      assert.deepEqual(validateRequestBody(bundle), []);
      const withoutUrns = JSON.parse(JSON.stringify(bundle).replace(/"urn:uuid:[0-9a-f-]+"/g, '"Patient/x"')) as Bundle;
      for (const entry of withoutUrns.entry ?? []) {
        const r = entry.resource!;
        // References to other entries are checked (typed) at the bundle level above; here each resource alone.
        const issues = validateRequestBody(r).filter((i) => !/Invalid reference|reference to Patient where/.test(i.details?.text ?? ''));
        assert.deepEqual(issues, [], r.resourceType);
      }
    }
  }
});

test('the ECG Observation is LOINC 11524-6 with one SampledData component per lead that round-trips the samples', () => {
  const { bundle } = buildEcgBundle(input(), mappings);
  const ecg = resources<Observation>(bundle, 'Observation').find((o) => o.code.coding?.[0]?.code === '11524-6');
  assert.ok(ecg);
  assert.equal(ecg.status, 'final');
  assert.deepEqual(ecg.category?.[0]?.coding?.[0]?.code, 'procedure');
  const leads = ecg.component!.filter((c) => c.valueSampledData);
  assert.deepEqual(leads.map((c) => c.code.text), ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
  assert.deepEqual(leads[0]!.code.coding?.[0], { system: 'urn:oid:2.16.840.1.113883.6.24', code: '131329', display: 'MDC_ECG_ELEC_POTL_I' });
  assert.equal(leads[11]!.code.coding?.[0]?.code, '131336');
  for (const c of leads) {
    const sd = c.valueSampledData!;
    assert.equal(sd.period, 2);
    assert.equal(sd.dimensions, 1);
    assert.equal(sd.origin.code, 'uV');
    assert.equal(sd.factor, 2.5);
    const back = fromSampledData(sd);
    const original = hl7.leads[c.code.text!]!;
    assert.equal(back.length, original.length);
    for (let i = 0; i < back.length; i++) assert.ok(Math.abs(back[i]! - original[i]!) < 1e-3, `${c.code.text}[${i}]`);
  }
});

test('acquisition time without offset gets the sender zone offset, daylight saving included', () => {
  const winter = buildEcgBundle(input({ record: { ...hl7, acquisitionTime: '2024-03-05T10:14:20.000' } }), mappings).bundle;
  const summer = buildEcgBundle(input({ record: { ...hl7, acquisitionTime: '2024-07-05T10:14:20' } }), mappings).bundle;
  const withZ = buildEcgBundle(input({ record: { ...hl7, acquisitionTime: '2024-07-05T10:14:20Z' } }), mappings).bundle;
  const eff = (b: Bundle) => resources<Observation>(b, 'Observation')[0]!.effectiveDateTime;
  assert.equal(eff(winter), '2024-03-05T10:14:20.000+01:00');
  assert.equal(eff(summer), '2024-07-05T10:14:20+02:00');
  assert.equal(eff(withZ), '2024-07-05T10:14:20Z');
});

test('device measurements become components and Observations derived from the ECG Observation', () => {
  const { bundle } = buildEcgBundle(input(), mappings);
  const all = resources<Observation>(bundle, 'Observation');
  const ecgEntry = bundle.entry!.find((e) => (e.resource as Observation | undefined)?.code?.coding?.[0]?.code === '11524-6')!;
  const qtc = all.find((o) => o.code.coding?.[0]?.code === '8636-3');
  assert.ok(qtc, 'QTc Observation');
  assert.deepEqual(qtc.valueQuantity, { value: 443, unit: 'ms', system: 'http://unitsofmeasure.org', code: 'ms' });
  assert.deepEqual(qtc.derivedFrom, [{ reference: ecgEntry.fullUrl }]);
  const ecg = ecgEntry.resource as Observation;
  assert.ok(ecg.component!.some((c) => c.code.coding?.[0]?.code === '8636-3' && c.valueQuantity?.value === 443));
  assert.equal(Object.keys(hl7.measurements).length, all.filter((o) => o.derivedFrom && !o.meta?.security).length);
});

test('probabilities become RiskAssessments with probabilityDecimal and qualitativeRisk (intermediate → moderate), labelled AIAST', () => {
  const { bundle } = buildEcgBundle(input(), mappings);
  const ras = resources<RiskAssessment>(bundle, 'RiskAssessment');
  assert.equal(ras.length, 4);
  const byCode = new Map(ras.map((r) => [r.code?.coding?.[0]?.code, r]));
  const risk = (code: string) => byCode.get(code)!.prediction![0]!;
  assert.equal(risk('stenosis-rca').qualitativeRisk?.coding?.[0]?.code, 'low');
  assert.equal(risk('stenosis-lm').qualitativeRisk?.coding?.[0]?.code, 'moderate');
  assert.equal(risk('stenosis-lad').qualitativeRisk?.coding?.[0]?.code, 'high');
  assert.equal(risk('stenosis-lcx').qualitativeRisk, undefined, 'no strata in the manifest → no qualitativeRisk');
  assert.equal(risk('stenosis-lad').probabilityDecimal, 0.8);
  const ecgFullUrl = bundle.entry!.find((e) => (e.resource as Observation | undefined)?.code?.coding?.[0]?.code === '11524-6')!.fullUrl;
  const deviceFullUrl = bundle.entry!.find((e) => (e.resource as Device | undefined)?.deviceName?.[0]?.name === 'ECGFounder CAD (contract test)')!.fullUrl;
  for (const ra of ras) {
    assert.deepEqual(ra.meta?.security?.map((s) => ({ system: s.system, code: s.code })), [AIAST]);
    assert.deepEqual(ra.basis, [{ reference: ecgFullUrl }]);
    assert.equal(ra.performer?.reference, deviceFullUrl);
    assert.equal(ra.occurrenceDateTime, '2024-03-05T09:20:00.000Z');
    assert.ok(ra.note!.some((n) => /Not clinically validated/.test(n.text)));
    assert.ok(ra.note!.some((n) => n.text.includes('Testing the gateway runtime only')));
  }
});

test('a clinically validated model gets no "not clinically validated" note', () => {
  const { bundle } = buildEcgBundle(input({ models: [scoredResult(modelIdentity({ clinicallyValidated: true, purpose: 'clinical' }))] }), mappings);
  for (const r of [...resources<RiskAssessment>(bundle, 'RiskAssessment'), ...resources<Device>(bundle, 'Device')]) {
    assert.ok(!(r.note ?? []).some((n) => /Not clinically validated/.test(n.text)));
  }
});

test('a regression output becomes an Observation with its UCUM unit, derived from the ECG and labelled AIAST', () => {
  const { bundle } = buildEcgBundle(input(), mappings);
  const age = resources<Observation>(bundle, 'Observation').find((o) => o.code.coding?.[0]?.code === 'ecg-age');
  assert.ok(age);
  assert.deepEqual(age.valueQuantity, { value: 61.5, unit: 'a', system: 'http://unitsofmeasure.org', code: 'a' });
  assert.deepEqual(age.meta?.security?.map((s) => s.code), ['AIAST']);
  assert.ok(age.device?.reference?.startsWith('urn:uuid:'));
});

test('indeterminate results are written as such with the reason and no number', () => {
  const { bundle } = buildEcgBundle(input({ models: [indeterminateResult()] }), mappings);
  const [ra] = resources<RiskAssessment>(bundle, 'RiskAssessment');
  assert.ok(ra);
  assert.equal(ra.prediction, undefined, 'no prediction, hence no probability and no qualitative risk');
  assert.ok(ra.note!.some((n) => /Indeterminate \(flat-lead\): standard deviation below 10 µV \(lead V3\)/.test(n.text)));
  assert.equal(ra.code?.coding?.[0]?.code, 'stenosis-rca');
  const age = resources<Observation>(bundle, 'Observation').find((o) => o.code.coding?.[0]?.code === 'ecg-age')!;
  assert.equal(age.valueQuantity, undefined);
  assert.equal(age.dataAbsentReason?.coding?.[0]?.code, 'error');
  assert.match(age.dataAbsentReason?.text ?? '', /flat-lead/);
});

test('the model and the gateway are Devices; the model Device carries name, version and sha256', () => {
  const { bundle } = buildEcgBundle(input(), mappings);
  const devices = resources<Device>(bundle, 'Device');
  assert.equal(devices.length, 2);
  const model = devices.find((d) => d.version?.[0]?.value === '1.0.0')!;
  assert.deepEqual(model.identifier?.[0], { system: 'https://ecg-gateway.example.org/fhir/sid/ai-model-sha256', value: 'a'.repeat(64) });
  assert.equal(model.deviceName?.[0]?.name, 'ECGFounder CAD (contract test)');
  const gateway = devices.find((d) => d !== model)!;
  assert.equal(gateway.deviceName?.[0]?.name, 'ecg-gateway');
  assert.equal(gateway.version?.[0]?.value, '0.1.0');
});

test('Provenance: the ECG resources by the gateway, each model run by its model, with the source message as entity', () => {
  const { bundle } = buildEcgBundle(input({ record: dicom }), mappings);
  const [ecgProv, modelProv] = resources<Provenance>(bundle, 'Provenance');
  assert.ok(ecgProv && modelProv);
  const urlOf = (pred: (r: Resource) => boolean) => bundle.entry!.filter((e) => pred(e.resource!)).map((e) => e.fullUrl);
  const outputs = urlOf((r) => r.resourceType === 'RiskAssessment' || (r.resourceType === 'Observation' && !!r.meta?.security));
  assert.deepEqual(modelProv.target.map((t) => t.reference).sort(), outputs.sort());
  assert.deepEqual(modelProv.agent.map((a) => a.type?.coding?.[0]?.code), ['author', 'assembler']);
  assert.ok(modelProv.entity!.some((e) => e.role === 'source' && e.what.identifier?.value === `urn:oid:${dicom.order.sopInstanceUid}`));
  assert.ok(modelProv.entity!.some((e) => e.role === 'derivation'));
  assert.deepEqual(ecgProv.agent.map((a) => a.type?.coding?.[0]?.code), ['assembler']);
  assert.equal(ecgProv.recorded, '2024-03-05T09:20:00.000Z');
});

test('every entry is a conditional create whose ifNoneExist names its own identifier (or tag)', () => {
  const { bundle } = buildEcgBundle(input(), mappings);
  for (const e of bundle.entry!) {
    assert.equal(e.request?.method, 'POST');
    assert.equal(e.request?.url, e.resource!.resourceType);
    const q = new URLSearchParams(e.request!.ifNoneExist!);
    const r = e.resource as Resource & { identifier?: Array<{ system?: string; value?: string }> };
    if (q.has('identifier')) {
      const [system, value] = q.get('identifier')!.split('|');
      assert.ok(r.identifier?.some((i) => i.system === system && i.value === value), `${r.resourceType} ${e.request!.ifNoneExist}`);
    } else {
      const [system, code] = q.get('_tag')!.split('|');
      assert.ok(r.meta?.tag?.some((t) => t.system === system && t.code === code));
    }
  }
  const ids = bundle.entry!.map((e) => e.fullUrl);
  assert.equal(new Set(ids).size, ids.length, 'fullUrls are unique');
});

test('the same ECG and results map to the same bundle; another model version adds its own outputs only', () => {
  const a = buildEcgBundle(input(), mappings).bundle;
  const b = buildEcgBundle(input(), mappings).bundle;
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  const v2 = buildEcgBundle(input({ models: [scoredResult(modelIdentity({ version: '2.0.0', sha256: 'c'.repeat(64) }))] }), mappings).bundle;
  const keysOf = (bundle: Bundle) => new Set(bundle.entry!.map((e) => e.request!.ifNoneExist!));
  const shared = [...keysOf(a)].filter((k) => keysOf(v2).has(k));
  const sharedTypes = bundle2types(a, shared);
  assert.deepEqual([...new Set(sharedTypes)].sort(), ['Device', 'Observation', 'Patient', 'Provenance']);
  assert.ok(!sharedTypes.includes('RiskAssessment'));
});

function bundle2types(bundle: Bundle, keys: string[]): string[] {
  return bundle.entry!.filter((e) => keys.includes(e.request!.ifNoneExist!)).map((e) => e.resource!.resourceType);
}

test('subject: conditional reference by patient identifier, or a conditional create of a minimal Patient', () => {
  const ref = buildEcgBundle(input({ patientReference: 'conditional-reference' }), mappings).bundle;
  assert.equal(resources<Patient>(ref, 'Patient').length, 0);
  const system = 'https://ecg-gateway.example.org/fhir/sid/patient/ECGTOOLKIT';
  assert.equal(resources<Observation>(ref, 'Observation')[0]!.subject?.reference, `Patient?identifier=${encodeURIComponent(system)}|SBJ-123`);

  const created = buildEcgBundle(input({ patientReference: 'conditional-create' }), mappings).bundle;
  const [patient] = resources<Patient>(created, 'Patient');
  assert.deepEqual(patient, { resourceType: 'Patient', identifier: [{ system, value: 'SBJ-123' }], name: [{ family: 'Clark' }], gender: 'male', birthDate: '1953-05-08' });
  const entry = created.entry![0]!;
  assert.equal(resources<Observation>(created, 'Observation')[0]!.subject?.reference, entry.fullUrl);
  assert.equal(entry.request?.ifNoneExist, `identifier=${encodeURIComponent(system)}|SBJ-123`);
});

test('an ECG without a patient identifier is refused with FHIR_MAPPING_FAILED at Observation.subject', () => {
  assert.throws(
    () => buildEcgBundle(input({ record: { ...hl7, patient: {} } }), mappings),
    (err: unknown) => isGatewayError(err) && err.code === 'FHIR_MAPPING_FAILED' && err.field === 'Observation.subject',
  );
});

test('an output whose coding key is not in mappings/ is refused with FHIR_MAPPING_FAILED naming the key', () => {
  const result = scoredResult();
  const bad = { ...result, outputs: [{ ...result.outputs[0]!, coding: 'no.such-key' }] };
  assert.throws(
    () => buildEcgBundle(input({ models: [bad] }), mappings),
    (err: unknown) => isGatewayError(err) && err.code === 'FHIR_MAPPING_FAILED' && /no\.such-key/.test(err.message),
  );
});

test('codes come from mappings/: a changed table changes the output', () => {
  const changed = { ...mappings, 'lead-codes': { ...mappings['lead-codes'], system: 'urn:iso:std:iso:11073:10101' } };
  const { bundle } = buildEcgBundle(input(), changed);
  const ecg = resources<Observation>(bundle, 'Observation')[0]!;
  assert.equal(ecg.component![0]!.code.coding?.[0]?.system, 'urn:iso:std:iso:11073:10101');
});
