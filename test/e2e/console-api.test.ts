import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Waveform } from '../../src/web/waveform.service';
import { CONTRACT_MODEL_DIR, sendHl7, stow } from '../helpers/fhir-server-e2e';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { hl7Fixture } from '../helpers/hl7-messages';
import { allMessages } from '../helpers/messages-api';
import { fixture } from '../helpers/paths';

/**
 * The /api routes the console adds, on a running gateway with a MODEL_DIR holding one good
 * model and one broken folder: /api/models, /api/queue, /api/messages/:id/waveform.
 */

describe('console API: models, queue and waveforms (real gateway)', () => {
  let gw: GatewayProcess;
  let modelDir: string;
  const get = (path: string) => fetch(`${gw.baseUrl}${path}`, { headers: gw.authHeaders() });

  before(async () => {
    modelDir = mkdtempSync(join(tmpdir(), 'ecggw-models-'));
    cpSync(join(CONTRACT_MODEL_DIR, 'contract-vit-multitask'), join(modelDir, 'contract-vit-multitask'), { recursive: true });
    mkdirSync(join(modelDir, 'broken-model'));
    writeFileSync(join(modelDir, 'broken-model', 'manifest.json'), '{"schemaVersion": 1}');
    gw = await startGateway({ env: { MODEL_DIR: modelDir, PIPELINE_POLL_MS: '50' } });
  });
  after(async () => {
    await gw?.stop();
    rmSync(modelDir, { recursive: true, force: true });
  });

  test('/api/models lists the loaded model with thresholds and the refused folder with why', async () => {
    const res = await get('/api/models');
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      models: Array<{ id: string; sha256: string; clinicallyValidated: boolean; purpose: string; outputs: Array<{ key: string; strata?: unknown; performance: unknown[] }> }>;
      refused: Array<{ id: string; code: string; field: string; message: string }>;
    };
    assert.deepEqual(body.models.map((m) => m.id), ['contract-vit-multitask']);
    const m = body.models[0]!;
    assert.match(m.sha256, /^[0-9a-f]{64}$/);
    assert.equal(m.clinicallyValidated, false);
    assert.equal(m.purpose, 'contract-test');
    assert.ok(m.outputs.some((o) => o.strata !== undefined), 'strata thresholds of probability outputs');
    assert.equal(body.refused.length, 1);
    assert.equal(body.refused[0]!.id, 'broken-model');
    assert.equal(body.refused[0]!.code, 'MODEL_MANIFEST_INVALID');
    assert.match(body.refused[0]!.message, /^model broken-model: /);
  });

  test('the waveform of a 1000 Hz DICOM ECG comes back resampled to 500 Hz, in µV, first 10 s', async () => {
    assert.equal(await stow(gw, [fixture('dicom', 'waveform_ecg.dcm')]), 200);
    await waitFor(async () => (await allMessages(gw.baseUrl, 'protocol=stow-rs')).some((m) => m.state !== 'received'), 60_000, 'the STOW-RS message to be decoded', gw.logs);
    const row = (await allMessages(gw.baseUrl, 'protocol=stow-rs'))[0]!;
    const res = await get(`/api/messages/${row.id}/waveform`);
    assert.equal(res.status, 200);
    const w = (await res.json()) as Waveform;
    assert.equal(w.sourceSampleRateHz, 1000);
    assert.equal(w.sampleRateHz, 500);
    assert.equal(w.samplesPerLead, w.durationS * 500);
    assert.ok(w.durationS <= 10);
    for (const lead of ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']) {
      const data = w.leads[lead];
      assert.equal(data?.length, w.samplesPerLead, lead);
      assert.ok(data.every((v) => Number.isInteger(v)), `${lead} in whole µV`);
      const span = Math.max(...data) - Math.min(...data);
      assert.ok(span > 100 && span < 10_000, `${lead}: a µV-scale ECG (span ${span})`);
    }
  });

  test('waveform errors: unknown id 404, a message that does not decode 409 with the decoder field', async () => {
    const unknown = await get('/api/messages/00000000-0000-4000-8000-000000000000/waveform');
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { code: string }).code, 'API_NOT_FOUND');
    assert.equal((await get('/api/messages/not-a-uuid/waveform')).status, 404);
    assert.equal(await sendHl7(gw, hl7Fixture(fixture('hl7', 'ecg', 'bad', 'oru_missing_patient_id.hl7'))), 'AE');
    const failed = (await allMessages(gw.baseUrl, 'state=failed'))[0]!;
    const res = await get(`/api/messages/${failed.id}/waveform`);
    assert.equal(res.status, 409);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    const problem = (await res.json()) as { code: string; field: string; detail: string };
    assert.equal(problem.code, 'MESSAGE_STATE_CONFLICT');
    assert.equal(problem.field, 'PID-3');
    assert.match(problem.detail, /DECODE_REQUIRED_FIELD_MISSING/);
  });

  test('/api/queue counts messages per state; the list carries each model\'s glance', async () => {
    await waitFor(async () => (await allMessages(gw.baseUrl, 'protocol=stow-rs')).some((m) => m.state === 'delivered'), 90_000, 'the STOW-RS message to be delivered', gw.logs);
    const res = await get('/api/queue');
    assert.equal(res.status, 200);
    const { counts } = (await res.json()) as { counts: Record<string, number> };
    assert.deepEqual(Object.keys(counts).sort(), ['dead', 'decoded', 'delivered', 'failed', 'received', 'scored']);
    assert.equal(counts['delivered'], 1);
    assert.equal(counts['failed'], 1);
    const delivered = (await allMessages(gw.baseUrl, 'state=delivered'))[0] as unknown as { glance: Array<{ model: string; status: string }> };
    assert.deepEqual(delivered.glance.map((g) => g.model), ['contract-vit-multitask']);
  });
});
