import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, Observation, OperationOutcome, Patient, RiskAssessment } from '@medplum/fhirtypes';
import { buildEcgBundle } from '../../src/fhir/mapping/build-ecg-bundle';
import { ecgKeyFor } from '../../src/fhir/mapping/resource-ids';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { startFhirServer, type FhirServerProcess } from '../helpers/fhir-server-process';
import { fixtureEcg } from './fixture-ecg';
import { scoredResult } from './synthetic-results';

const mappings = loadFhirMappings();
const record = fixtureEcg('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const ecgKey = ecgKeyFor(record, { sha256: '0'.repeat(64) });
const ECG_SYSTEM = mappings['identifier-systems'].ecg;

function bundle(patientReference: 'conditional-create' | 'conditional-reference' = 'conditional-create'): Bundle {
  return buildEcgBundle(
    { record, ecgKey, models: [scoredResult()], patientReference, sourceTimeZone: 'UTC', gatewayVersion: '0.1.0', recordedAt: '2024-03-05T10:00:00Z' },
    mappings,
  ).bundle;
}

async function post(server: FhirServerProcess, body: unknown, path = ''): Promise<{ status: number; body: Bundle | OperationOutcome; headers: Headers }> {
  const res = await fetch(`${server.baseUrl}/${path}`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Bundle | OperationOutcome, headers: res.headers };
}

test('the test FHIR server runs transactions with conditional creates: 201 the first time, 200 and no copy the second', async (t) => {
  const server = await startFhirServer();
  t.after(() => server.stop());
  const first = await post(server, bundle());
  assert.equal(first.status, 200, JSON.stringify(first.body).slice(0, 500));
  const entries = (first.body as Bundle).entry!;
  assert.equal((first.body as Bundle).type, 'transaction-response');
  assert.ok(entries.every((e) => e.response?.status === '201'), entries.map((e) => e.response?.status).join());
  const second = await post(server, bundle());
  assert.equal(second.status, 200);
  const again = (second.body as Bundle).entry!;
  assert.ok(again.every((e) => e.response?.status === '200'));
  assert.deepEqual(again.map((e) => e.response?.location), entries.map((e) => e.response?.location));
  assert.equal(await server.countByIdentifier('Observation', ECG_SYSTEM, ecgKey), 1);

  // References were rewritten to the server's ids, and search works by patient, code, identifier and date.
  const ecg = (await server.get<Bundle>(`Observation?code=http://loinc.org|11524-6`)).entry![0]!.resource as Observation;
  assert.match(ecg.subject!.reference!, /^Patient\/[0-9a-f-]+$/);
  const byPatient = await server.get<Bundle>(`RiskAssessment?patient=${ecg.subject!.reference}`);
  assert.equal(byPatient.entry?.length, 4);
  const ra = byPatient.entry![0]!.resource as RiskAssessment;
  assert.equal(ra.basis?.[0]?.reference, `Observation/${ecg.id}`);
  assert.equal((await server.get<Bundle>('Observation?date=ge2024-03-05&code=http://loinc.org|11524-6')).entry?.length, 1);
  assert.equal((await server.get<Bundle>('Observation?date=lt2024-03-05&code=http://loinc.org|11524-6')).entry, undefined);
});

test('an invalid resource gets 400 with an OperationOutcome naming the element, and nothing of the bundle is kept', async (t) => {
  const server = await startFhirServer();
  t.after(() => server.stop());
  const b = bundle();
  const ra = b.entry!.findIndex((e) => e.resource?.resourceType === 'RiskAssessment');
  (b.entry![ra]!.resource as RiskAssessment).status = 'done' as RiskAssessment['status'];
  const res = await post(server, b);
  assert.equal(res.status, 400);
  const outcome = res.body as OperationOutcome;
  assert.equal(outcome.resourceType, 'OperationOutcome');
  assert.deepEqual(outcome.issue?.map((i) => i.expression?.[0]), [`Bundle.entry[${ra}].resource.status`]);
  assert.equal(await server.countByIdentifier('Observation', ECG_SYSTEM, ecgKey), 0);
});

test('a transaction whose later entry fails is rolled back whole (all-or-nothing)', async (t) => {
  const server = await startFhirServer();
  t.after(() => server.stop());
  // Two Devices with the same identifier make the gateway Device's conditional create ambiguous (412).
  const b = bundle();
  const gw = b.entry!.find((e) => e.resource?.resourceType === 'Device')!;
  for (let i = 0; i < 2; i++) assert.equal((await post(server, gw.resource, 'Device')).status, 201);
  const res = await post(server, b);
  assert.equal(res.status, 412, JSON.stringify(res.body).slice(0, 300));
  assert.equal(await server.countByIdentifier('Observation', ECG_SYSTEM, ecgKey), 0, 'the ECG Observation created before the failure is gone');
  assert.equal(await server.countByIdentifier('Patient', 'https://ecg-gateway.example.org/fhir/sid/patient/ECGTOOLKIT', 'SBJ-123'), 0);
});

test('a conditional reference to an unknown patient is refused (400); once the patient exists it resolves', async (t) => {
  const server = await startFhirServer();
  t.after(() => server.stop());
  const refused = await post(server, bundle('conditional-reference'));
  assert.equal(refused.status, 400);
  assert.match(JSON.stringify(refused.body), /conditional reference matches no resource/);
  const patient: Patient = { resourceType: 'Patient', identifier: [{ system: 'https://ecg-gateway.example.org/fhir/sid/patient/ECGTOOLKIT', value: 'SBJ-123' }] };
  const created = await post(server, patient, 'Patient');
  assert.equal(created.status, 201);
  assert.match(created.headers.get('location') ?? '', /^\/fhir\/Patient\/[0-9a-f-]+\/_history\//);
  const ok = await post(server, bundle('conditional-reference'));
  assert.equal(ok.status, 200);
  const ecg = (await server.get<Bundle>('Observation?code=http://loinc.org|11524-6')).entry![0]!.resource as Observation;
  assert.equal(ecg.subject?.reference, `Patient/${(created.body as unknown as Patient).id}`);
});

test('injected faults: 503 with Retry-After, and a dropped response after commit', async (t) => {
  const server = await startFhirServer();
  t.after(() => server.stop());
  await server.fail(503, 1, '7');
  const unavailable = await fetch(`${server.baseUrl}/`, { method: 'POST', body: JSON.stringify(bundle()) });
  assert.equal(unavailable.status, 503);
  assert.equal(unavailable.headers.get('retry-after'), '7');
  await server.drop();
  await assert.rejects(fetch(`${server.baseUrl}/`, { method: 'POST', body: JSON.stringify(bundle()) }));
  assert.equal(await server.countByIdentifier('Observation', ECG_SYSTEM, ecgKey), 1, 'the dropped request was committed');
});
