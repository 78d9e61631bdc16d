import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Bundle, Observation, Patient, RiskAssessment } from '@medplum/fhirtypes';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { FAST_RETRY_ENV, hl7Text, isDelivered, r4Issues, resourcesOf, sendHl7, waitForMessage } from '../helpers/fhir-server-e2e';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { withControlId } from '../helpers/hl7-messages';
import { fixture } from '../helpers/paths';

/**
 * With FHIR_BASE_URL unset the gateway delivers to its own /fhir (a real FHIR engine) over HTTP,
 * and what it holds survives a restart on the same DATA_DIR.
 */

const systems = loadFhirMappings()['identifier-systems'];
const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const NA = fixture('hl7', 'ecg', 'oru_r01_v23_na_12lead.hl7');
const PATIENT_SYSTEM = systems.patient.defaultTemplate.replace('{issuer}', 'ECGTOOLKIT');

async function fhirGet<T = Bundle>(gw: GatewayProcess, path: string): Promise<T> {
  // The embedded /fhir needs a principal like /api (the gateway's admin token here).
  const res = await fetch(`${gw.baseUrl}/fhir/${path}`, { headers: gw.authHeaders() });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/fhir\+json/);
  return (await res.json()) as T;
}

const ecgQuery = (key: string) => `Observation?identifier=${encodeURIComponent(systems.ecg)}|${encodeURIComponent(key)}`;

test('with FHIR_BASE_URL unset the flow lands in the embedded /fhir, searchable, and survives a restart', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecggw-embedded-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  let gw = await startGateway({ dataDir, env: { ...FAST_RETRY_ENV } });
  t.after(() => gw.stop());

  assert.equal(await sendHl7(gw, hl7Text(MA)), 'AA');
  await waitForMessage(gw, 'ECG-MA-0001', isDelivered, 'delivered to the embedded /fhir');
  const [ecg] = resourcesOf<Observation>(await fhirGet(gw, ecgQuery('hl7:ECGCART/CARDIOLOGY/ECG-MA-0001')));
  assert.ok(ecg);
  const patientRef = ecg.subject!.reference!;
  // Search by patient, code, identifier and date.
  const risks = resourcesOf<RiskAssessment>(await fhirGet(gw, `RiskAssessment?patient=${patientRef}`));
  assert.equal(risks.length, 16);
  assert.equal(resourcesOf(await fhirGet(gw, `Observation?patient=${patientRef}&code=http://loinc.org|11524-6`)).length, 1);
  assert.equal(resourcesOf(await fhirGet(gw, 'Observation?code=http://loinc.org|11524-6&date=ge2024-03-05')).length, 1);
  assert.equal(resourcesOf(await fhirGet(gw, 'Observation?code=http://loinc.org|11524-6&date=lt2024-03-05')).length, 0);
  assert.equal((await fhirGet<Observation>(gw, `Observation/${ecg.id}`)).id, ecg.id, 'read by id');
  assert.deepEqual(r4Issues([ecg, ...risks]), []);

  await gw.stop();
  gw = await startGateway({ dataDir, env: { ...FAST_RETRY_ENV } });
  const again = resourcesOf<Observation>(await fhirGet(gw, ecgQuery('hl7:ECGCART/CARDIOLOGY/ECG-MA-0001')));
  assert.deepEqual(again.map((o) => o.id), [ecg.id], 'the same resource after the restart');
  assert.equal(resourcesOf(await fhirGet(gw, `RiskAssessment?patient=${patientRef}`)).length, 16);

  // A new ECG of the same patient after the restart finds the persisted Patient (conditional create).
  assert.equal(await sendHl7(gw, withControlId(hl7Text(NA), 'ECG-NA-AFTER-RESTART')), 'AA');
  await waitForMessage(gw, 'ECG-NA-AFTER-RESTART', isDelivered, 'delivered after the restart');
  const patients = resourcesOf<Patient>(await fhirGet(gw, `Patient?identifier=${encodeURIComponent(PATIENT_SYSTEM)}|SBJ-123`));
  assert.equal(patients.length, 1);
  assert.equal(`Patient/${patients[0]!.id}`, patientRef);
  assert.equal(resourcesOf(await fhirGet(gw, `RiskAssessment?patient=${patientRef}`)).length, 32);
});

test('the embedded /fhir validates like a real server: an invalid resource gets 400 with an OperationOutcome', async (t) => {
  const gw = await startGateway({ env: { ...FAST_RETRY_ENV } });
  t.after(() => gw.stop());
  const res = await fetch(`${gw.baseUrl}/fhir/Observation`, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', ...gw.authHeaders() },
    body: JSON.stringify({ resourceType: 'Observation', status: 'done', code: { text: 'x' } }),
  });
  assert.equal(res.status, 400);
  const outcome = (await res.json()) as { resourceType: string; issue: Array<{ expression?: string[] }> };
  assert.equal(outcome.resourceType, 'OperationOutcome');
  assert.deepEqual(outcome.issue.map((i) => i.expression?.[0]), ['Observation.status']);
  // Discovery stays open (no patient data in the CapabilityStatement).
  const meta = await fetch(`${gw.baseUrl}/fhir/metadata`);
  assert.equal(((await meta.json()) as { fhirVersion: string }).fhirVersion, '4.0.1');
});
