import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Bundle, Device, Observation, Provenance, RiskAssessment } from '@medplum/fhirtypes';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { storescu } from '../helpers/dcmtk';
import { startFhirServer, type FhirServerProcess } from '../helpers/fhir-server-process';
import { deliveryAttempts, FAST_RETRY_ENV, hl7Text, isDelivered, r4Issues, resourcesOf, sendHl7, stow, waitForMessage } from '../helpers/fhir-server-e2e';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { withControlId } from '../helpers/hl7-messages';
import { fixture } from '../helpers/paths';

/**
 * ECGs in over MLLP, C-STORE and STOW-RS; results out to a separate FHIR R4 server process (with
 * R4 validation) — real gateway, real peers. Counting by identifier proves no second copy.
 */

const systems = loadFhirMappings()['identifier-systems'];
const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const NA = fixture('hl7', 'ecg', 'oru_r01_v23_na_12lead.hl7');
const ED_DICOM = fixture('hl7', 'ecg', 'oru_r01_v25_ed_dicom.hl7');
const DICOM_1000HZ = fixture('dicom', 'waveform_ecg.dcm');
const DICOM_TOOLKIT = fixture('dicom', 'ecgtoolkit_Example.dcm');
const TOOLKIT_SOP = '1.2.826.0.1.34471.2.44.6.20021122091000..1';
const WAVEFORM_SOP = '1.3.6.1.4.1.20029.40.20130125105919.5407.1.1';
/** 12 contract ViT outputs + 4 ECGFounder vessels. */
const RISK_ASSESSMENTS_PER_ECG = 16;

interface Delivered {
  ecg: Observation;
  risks: RiskAssessment[];
}

/** Reads back what one ECG became in the FHIR server and checks it is complete and valid R4. */
async function readBack(fhir: FhirServerProcess, ecgKey: string): Promise<Delivered> {
  const ecgs = resourcesOf<Observation>(await fhir.get(`Observation?identifier=${encodeURIComponent(systems.ecg)}|${encodeURIComponent(ecgKey)}`));
  assert.equal(ecgs.length, 1, `one ECG Observation for ${ecgKey}`);
  const ecg = ecgs[0]!;
  const risks = resourcesOf<RiskAssessment>(await fhir.get(`RiskAssessment?identifier=${encodeURIComponent(systems.modelOutput)}|`)).filter((r) =>
    r.identifier?.[0]?.value?.startsWith(`${ecgKey}/`),
  );
  assert.equal(risks.length, RISK_ASSESSMENTS_PER_ECG);
  for (const r of risks) assert.equal(r.basis?.[0]?.reference, `Observation/${ecg.id}`);
  const provenance = resourcesOf<Provenance>(await fhir.get(`Provenance?target=Observation/${ecg.id}`));
  assert.equal(provenance.length, 1, 'the ECG Provenance');
  const modelRuns = resourcesOf<Provenance>(await fhir.get(`Provenance?target=RiskAssessment/${risks[0]!.id}`));
  assert.equal(modelRuns.length, 1, 'the model-run Provenance');
  const devices = resourcesOf<Device>(await fhir.get('Device'));
  const issues = r4Issues([ecg, ...risks, ...provenance, ...modelRuns, ...devices]);
  assert.deepEqual(issues, [], 'every resource validates against R4');
  return { ecg, risks };
}

async function count(fhir: FhirServerProcess, type: string, system: string, prefix: string): Promise<number> {
  const bundle = await fhir.get<Bundle>(`${type}?identifier=${encodeURIComponent(system)}|`);
  return resourcesOf<Observation>(bundle).filter((r) => r.identifier?.some((i) => i.system === system && (i.value === prefix || i.value?.startsWith(`${prefix}/`)))).length;
}

describe('FHIR delivery to an external EHR (real gateway, FHIR server process)', () => {
  let fhir: FhirServerProcess;
  let gw: GatewayProcess;
  before(async () => {
    fhir = await startFhirServer();
    gw = await startGateway({ env: { ...FAST_RETRY_ENV, FHIR_BASE_URL: fhir.baseUrl } });
  });
  after(async () => {
    await gw?.stop();
    await fhir?.stop();
  });

  test('an ECG sent over MLLP lands as ECG Observation, RiskAssessments, Devices and Provenance, all valid R4; delivered', async () => {
    assert.equal(await sendHl7(gw, hl7Text(MA)), 'AA');
    const m = await waitForMessage(gw, 'ECG-MA-0001', isDelivered, 'delivered');
    const { ecg, risks } = await readBack(fhir, 'hl7:ECGCART/CARDIOLOGY/ECG-MA-0001');
    assert.equal(ecg.component?.filter((c) => c.valueSampledData).length, 12);
    assert.ok(risks.some((r) => r.prediction?.[0]?.qualitativeRisk?.coding?.[0]?.code), 'strata written as qualitativeRisk');
    const devices = resourcesOf<Device>(await fhir.get('Device'));
    assert.deepEqual(devices.map((d) => d.deviceName?.[0]?.name).sort(), ['ecg-gateway', ...devices.filter((d) => d.deviceName?.[0]?.name !== 'ecg-gateway').map((d) => d.deviceName![0]!.name)].sort());
    assert.equal(devices.length, 3, 'the gateway and the two contract models');
    const attempts = deliveryAttempts(m);
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0]!['status'], 200);
    assert.equal((m as { results?: { delivery?: { locations?: string[] } } }).results?.delivery?.locations?.length, attempts[0]!['entries']);
  });

  test('an ECG sent by C-STORE (storescu) is delivered', async () => {
    const r = await storescu('127.0.0.1', gw.dicomPort, [DICOM_1000HZ], { calledAeTitle: 'ECGGW' });
    assert.equal(r.files[0]?.status, 0, r.output);
    await waitForMessage(gw, WAVEFORM_SOP, isDelivered, 'delivered');
    const { ecg } = await readBack(fhir, `dicom:${WAVEFORM_SOP}`);
    assert.ok(ecg.identifier?.some((i) => i.system === 'urn:dicom:uid' && i.value === `urn:oid:${WAVEFORM_SOP}`));
    assert.equal(ecg.component?.find((c) => c.valueSampledData)?.valueSampledData?.period, 1);
  });

  test('an ECG sent by STOW-RS is delivered; the same ECG again inside an HL7 message creates no second copy', async () => {
    assert.equal(await stow(gw, [DICOM_TOOLKIT]), 200);
    await waitForMessage(gw, TOOLKIT_SOP, isDelivered, 'delivered');
    await readBack(fhir, `dicom:${TOOLKIT_SOP}`);
    // The same recording (same SOP Instance UID) wrapped in an ORU (OBX ED): a new message, the same ECG.
    assert.equal(await sendHl7(gw, hl7Text(ED_DICOM)), 'AA');
    const again = await waitForMessage(gw, 'ECG-ED-DCM-0001', isDelivered, 'delivered');
    const attempt = deliveryAttempts(again)[0]!;
    assert.equal(attempt['created'], 0, 'everything was there already (the Patient from the first test)');
    assert.equal(attempt['existing'], attempt['entries']);
    await readBack(fhir, `dicom:${TOOLKIT_SOP}`);
    assert.equal(await count(fhir, 'RiskAssessment', systems.modelOutput, `dicom:${TOOLKIT_SOP}`), RISK_ASSESSMENTS_PER_ECG);
  });

  test('resending the same message is a repeat and adds nothing', async () => {
    const before = (await fhir.stats()).committedPosts;
    assert.equal(await sendHl7(gw, hl7Text(MA)), 'AA');
    const m = await waitForMessage(gw, 'ECG-MA-0001', (x) => x.repeats >= 1, 'recorded as a repeat');
    assert.equal(m.state, 'delivered');
    assert.equal((await fhir.stats()).committedPosts, before);
    await readBack(fhir, 'hl7:ECGCART/CARDIOLOGY/ECG-MA-0001');
  });

  test('a response dropped after the EHR committed: the retry finds everything there and creates no copy', async () => {
    await fhir.drop(1);
    const text = withControlId(hl7Text(NA), 'ECG-NA-DROP');
    assert.equal(await sendHl7(gw, text), 'AA');
    const m = await waitForMessage(gw, 'ECG-NA-DROP', isDelivered, 'delivered');
    const attempts = deliveryAttempts(m);
    assert.equal(attempts.length, 2, JSON.stringify(attempts));
    assert.equal(attempts[0]!['network'], 'connection');
    assert.equal(attempts[1]!['created'], 0, 'the second attempt created nothing');
    assert.equal(attempts[1]!['existing'], attempts[1]!['entries']);
    await readBack(fhir, 'hl7:ECGCART/CARDIOLOGY/ECG-NA-DROP');
  });

  test('503 with Retry-After is retried no sooner than the server asked', async () => {
    await fhir.fail(503, 2, '1');
    const text = withControlId(hl7Text(NA), 'ECG-NA-503');
    assert.equal(await sendHl7(gw, text), 'AA');
    const m = await waitForMessage(gw, 'ECG-NA-503', isDelivered, 'delivered');
    const attempts = deliveryAttempts(m);
    assert.deepEqual(attempts.map((a) => a['status']), [503, 503, 200]);
    assert.ok(attempts.slice(0, 2).every((a) => a['retryAfter'] === '1' && Number(a['delayMs']) >= 1000), JSON.stringify(attempts));
    await readBack(fhir, 'hl7:ECGCART/CARDIOLOGY/ECG-NA-503');
  });
});

describe('EHR down for a while, then back (real gateway, FHIR server process stopped and restarted)', () => {
  let fhir: FhirServerProcess;
  let gw: GatewayProcess;
  before(async () => {
    fhir = await startFhirServer();
    gw = await startGateway({ env: { ...FAST_RETRY_ENV, FHIR_BASE_URL: fhir.baseUrl } });
  });
  after(async () => {
    await gw?.stop();
    await fhir?.stop();
  });

  test('the gateway retries while the EHR is down and delivers once it is back', async () => {
    const port = fhir.port;
    await fhir.stop();
    const text = withControlId(hl7Text(NA), 'ECG-NA-DOWN');
    assert.equal(await sendHl7(gw, text), 'AA');
    const waiting = await waitForMessage(gw, 'ECG-NA-DOWN', (m) => deliveryAttempts(m).length >= 3, 'three failed attempts');
    assert.equal(waiting.state, 'scored');
    assert.equal(waiting.lastError?.code, 'FHIR_UNAVAILABLE');
    assert.ok(deliveryAttempts(waiting).every((a) => a['network'] === 'connection'));
    fhir = await startFhirServer({ port });
    const m = await waitForMessage(gw, 'ECG-NA-DOWN', isDelivered, 'delivered after the EHR came back');
    assert.equal(deliveryAttempts(m).at(-1)!['status'], 200);
    await readBack(fhir, 'hl7:ECGCART/CARDIOLOGY/ECG-NA-DOWN');
  });
});

describe('rejected, dead-lettered, fixed, replayed (real gateway, conditional patient reference)', () => {
  let fhir: FhirServerProcess;
  let gw: GatewayProcess;
  before(async () => {
    fhir = await startFhirServer();
    gw = await startGateway({ env: { ...FAST_RETRY_ENV, FHIR_BASE_URL: fhir.baseUrl, FHIR_PATIENT_REFERENCE: 'conditional-reference', DELIVERY_MAX_ATTEMPTS: '2' } });
  });
  after(async () => {
    await gw?.stop();
    await fhir?.stop();
  });

  test('a 400 (unknown patient) is dead at once with the OperationOutcome; after the fix a replay delivers once', async () => {
    const text = withControlId(hl7Text(MA), 'ECG-MA-NOPATIENT');
    assert.equal(await sendHl7(gw, text), 'AA');
    const dead = await waitForMessage(gw, 'ECG-MA-NOPATIENT', (m) => m.state === 'dead', 'dead');
    assert.equal(deliveryAttempts(dead).length, 1, 'no retry for a 400');
    assert.equal(dead.lastError?.code, 'FHIR_REJECTED');
    assert.match(dead.lastError?.field ?? '', /^Bundle\.entry\[\d+\]\.resource\.subject$/);
    const outcome = (dead as { results?: { delivery?: { operationOutcome?: { issue?: Array<{ code?: string }> } } } }).results?.delivery?.operationOutcome;
    assert.equal(outcome?.issue?.[0]?.code, 'not-found');
    assert.equal(await count(fhir, 'Observation', systems.ecg, 'hl7:ECGCART/CARDIOLOGY/ECG-MA-NOPATIENT'), 0);

    // The fix: the patient is registered in the EHR.
    const res = await fetch(`${fhir.baseUrl}/Patient`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Patient', identifier: [{ system: `${systems.patient.defaultTemplate.replace('{issuer}', 'ECGTOOLKIT')}`, value: 'SBJ-123' }] }),
    });
    assert.equal(res.status, 201);
    const patientId = ((await res.json()) as { id: string }).id;
    const replay = await fetch(`${gw.baseUrl}/api/messages/${dead.id}/replay`, { method: 'POST', headers: gw.authHeaders() });
    assert.ok(replay.status < 300, String(replay.status));
    const m = await waitForMessage(gw, 'ECG-MA-NOPATIENT', isDelivered, 'delivered after replay');
    const { ecg } = await readBack(fhir, 'hl7:ECGCART/CARDIOLOGY/ECG-MA-NOPATIENT');
    assert.equal(ecg.subject?.reference, `Patient/${patientId}`);
    assert.equal(deliveryAttempts(m).length, 2);
  });

  test('a message that died after the EHR committed is replayed without a second copy', async () => {
    // The EHR commits, the answer is lost, then it says 503: with two attempts allowed the message dies.
    await fhir.drop(1);
    await fhir.fail(503, 1);
    const text = withControlId(hl7Text(MA), 'ECG-MA-LOST');
    assert.equal(await sendHl7(gw, text), 'AA');
    const dead = await waitForMessage(gw, 'ECG-MA-LOST', (m) => m.state === 'dead', 'dead after two attempts');
    assert.equal(dead.lastError?.code, 'FHIR_RETRIES_EXHAUSTED');
    assert.equal(await count(fhir, 'Observation', systems.ecg, 'hl7:ECGCART/CARDIOLOGY/ECG-MA-LOST'), 1, 'the first attempt was committed');
    await fetch(`${gw.baseUrl}/api/messages/${dead.id}/replay`, { method: 'POST', headers: gw.authHeaders() });
    const m = await waitForMessage(gw, 'ECG-MA-LOST', isDelivered, 'delivered after replay');
    assert.equal(deliveryAttempts(m).at(-1)!['created'], 0);
    await readBack(fhir, 'hl7:ECGCART/CARDIOLOGY/ECG-MA-LOST');
  });
});
