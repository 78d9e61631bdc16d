import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MllpSender } from '../../src/cli/mllp-sender';
import type { ScoreResults } from '../../src/inference/model-result';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { hl7Fixture, withControlId } from '../helpers/hl7-messages';
import { allMessages, getMessage, type ApiMessage } from '../helpers/messages-api';
import { fixture } from '../helpers/paths';
import { flattenHl7Waveform } from '../inference/flat-hl7';
import { makeModelDir, readContractManifest } from '../inference/model-dir-fixture';

interface HealthBody {
  status: string;
  checks: { models?: { ok: boolean; detail: { loaded: Array<{ id: string; purpose: string }>; refused: Array<{ id: string; code: string; field: string; message: string }> } } };
}

describe('the gateway with a MODEL_DIR of good and broken models (real process, MLLP in, /api out)', () => {
  let gw: GatewayProcess;
  let cleanup: () => void = () => undefined;
  const good = withControlId(hl7Fixture(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7')), 'SCORE-GOOD');
  const flat = flattenHl7Waveform(hl7Fixture(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7')), 'SCORE-FLAT');

  before(async () => {
    const models = makeModelDir([
      { from: 'contract-vit-multitask' },
      { from: 'contract-ecgfounder-cad' },
      { from: 'contract-ecgfounder-cad', id: 'wrong-sha', mutate: (m) => (m['sha256'] = 'e'.repeat(64)) },
      { from: 'contract-ecgfounder-cad', id: 'wrong-input-name', mutate: (m) => (m.input['name'] = 'ecg') },
      { from: 'contract-vit-multitask', id: 'wrong-shape', mutate: (m) => Object.assign(m.input, { durationS: 5, shape: [-1, 12, 2500], cropPad: {} }) },
      { from: 'contract-ecgfounder-cad', id: 'unknown-filter', mutate: (m) => (m.input.filters[1]!['type'] = 'bandstop') },
    ]);
    cleanup = models.cleanup;
    gw = await startGateway({ env: { MODEL_DIR: models.dir } });
    const sender = await MllpSender.connect('127.0.0.1', gw.mllpPort);
    try {
      assert.equal((await sender.send(good)).code, 'AA');
      assert.equal((await sender.send(flat)).code, 'AA');
    } finally {
      await sender.close();
    }
  });
  after(async () => {
    await gw.stop();
    cleanup();
  });

  test('starts and answers /health 200, listing the loaded and the refused models with their field', async () => {
    const res = await fetch(`${gw.baseUrl}/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as HealthBody;
    const models = body.checks.models;
    assert.ok(models?.ok);
    assert.deepEqual(models.detail.loaded.map((m) => m.id), ['contract-ecgfounder-cad', 'contract-vit-multitask']);
    assert.deepEqual(
      models.detail.refused.map((r) => `${r.id} ${r.code} ${r.field}`),
      [
        'unknown-filter MODEL_MANIFEST_INVALID input.filters[1].type',
        'wrong-input-name MODEL_IO_MISMATCH input.name',
        'wrong-sha MODEL_CHECKSUM_MISMATCH sha256',
        'wrong-shape MODEL_IO_MISMATCH input.shape[2]',
      ],
    );
  });

  test('logs one line per refused model naming the model and the field', () => {
    const messages = gw
      .logs()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; errorCode?: string; modelId?: string })
      .filter((l) => l.errorCode !== undefined && l.modelId !== undefined)
      .map((l) => l.msg ?? '');
    assert.deepEqual(messages.sort(), [
      'model unknown-filter: input.filters[1].type: unknown filter "bandstop" (known: highpass, lowpass, notch)',
      `model wrong-input-name: input.name: the model's input is "signal", not "ecg"`,
      `model wrong-sha: sha256: model.onnx has sha256 ${String(readContractManifest('contract-ecgfounder-cad')['sha256'])}, the manifest says ${'e'.repeat(64)}`,
      `model wrong-shape: input.shape[2]: the model's input has 5000 samples, the manifest says 2500`,
    ]);
  });

  async function scored(controlId: string): Promise<ApiMessage & { results?: ScoreResults }> {
    let id = '';
    await waitFor(async () => {
      const row = (await allMessages(gw.baseUrl)).find((m) => m.sourceId === controlId);
      if (!row) return false;
      id = row.id;
      const detail = await getMessage(gw.baseUrl, id);
      return detail.timeline?.some((e) => e.event === 'score') ?? false;
    }, 60_000, `message ${controlId} scored`, gw.logs);
    return (await getMessage(gw.baseUrl, id)) as ApiMessage & { results?: ScoreResults };
  }

  test('an ECG over MLLP is decoded and scored by both loaded models; the results are stored with the message', async () => {
    const m = await scored('SCORE-GOOD');
    const scores = m.results?.scores ?? [];
    assert.deepEqual(scores.map((s) => `${s.model.id} ${s.status}`).sort(), ['contract-ecgfounder-cad scored', 'contract-vit-multitask scored']);
    for (const s of scores) {
      assert.equal(s.model.clinicallyValidated, false);
      assert.match(s.model.sha256, /^[0-9a-f]{64}$/);
      for (const o of s.outputs) assert.ok(o.status === 'scored' && 'probability' in o);
    }
    const event = m.timeline?.find((e) => e.event === 'score');
    assert.equal(event?.state, 'scored');
  });

  test('a flat-line ECG is scored as indeterminate with the reason, never a number', async () => {
    const m = await scored('SCORE-FLAT');
    const scores = m.results?.scores ?? [];
    assert.equal(scores.length, 2);
    for (const s of scores) {
      assert.ok(s.status === 'indeterminate' && s.reason.code === 'flat-lead', JSON.stringify(s));
      assert.ok(s.outputs.every((o) => o.status === 'indeterminate' && !('probability' in o)));
    }
  });
});
