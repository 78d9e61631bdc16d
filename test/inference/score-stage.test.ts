import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ModelRegistry } from '../../src/inference/model-registry';
import type { ScoreResults } from '../../src/inference/model-result';
import { ScoringService } from '../../src/inference/scoring-service';
import { DecodePool } from '../../src/pipeline/decode-pool';
import { ScoreStage } from '../../src/pipeline/score.stage';
import type { ClaimedMessage } from '../../src/store/message';
import { fixture } from '../helpers/paths';
import { flattenHl7Waveform } from './flat-hl7';
import { TEST_MODELS_DIR } from './model-dir-fixture';

let registry: ModelRegistry;
let stage: ScoreStage;
const pool = new DecodePool(1);
before(async () => {
  registry = await ModelRegistry.load({ modelDir: TEST_MODELS_DIR, intraOpThreads: 1, maxBatch: 4, maxWaitMs: 2 });
  stage = new ScoreStage(new ScoringService(registry), pool);
});
after(async () => {
  await registry.close();
  await pool.onApplicationShutdown();
});

function claimed(raw: Uint8Array): ClaimedMessage {
  return {
    claimToken: 'token',
    raw,
    row: { id: 'm1', protocol: 'mllp', peer: {}, contentType: 'x-application/hl7-v2+er7', sha256: '', sizeBytes: raw.length, state: 'decoded', attempts: 0, repeats: 0, receivedAt: '', updatedAt: '' },
  };
}

test('runs from decoded and moves an ECG to scored with every model\'s results', async () => {
  assert.equal(stage.from, 'decoded');
  const t = await stage.run(claimed(readFileSync(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'))));
  assert.equal(t.to, 'scored');
  assert.equal(t.event, 'score');
  const { scores } = t.results as unknown as ScoreResults;
  assert.deepEqual(scores.map((s) => `${s.model.id} ${s.status}`).sort(), ['contract-ecgfounder-cad scored', 'contract-vit-multitask scored']);
  assert.equal(typeof t.detail?.['scoreMs'], 'number');
  assert.deepEqual(t.detail?.['indeterminate'], []);
});

test('a flat-line ECG is still scored (the state), its results indeterminate with the reason', async () => {
  const text = readFileSync(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), 'latin1');
  const t = await stage.run(claimed(Buffer.from(flattenHl7Waveform(text, 'FLAT-1'), 'latin1')));
  assert.equal(t.to, 'scored');
  const { scores } = t.results as unknown as ScoreResults;
  for (const s of scores) assert.ok(s.status === 'indeterminate' && s.reason.code === 'flat-lead', JSON.stringify(s));
  assert.deepEqual(t.detail?.['indeterminate'], scores.map((s) => ({ model: s.model.id, reason: 'flat-lead' })));
});

test('bytes that do not decode throw the decoder\'s error (the worker marks the message failed)', async () => {
  await assert.rejects(stage.run(claimed(new TextEncoder().encode('not an ECG'))), { code: 'DECODE_FORMAT_UNKNOWN' });
});
