import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { decodeEcg } from '../../src/ecg/decode/decode-ecg';
import { createSignalCache } from '../../src/ecg/signal/signal-cache';
import { ModelRegistry } from '../../src/inference/model-registry';
import { DecodePool } from '../../src/pipeline/decode-pool';
import type { ModelInputSpec } from '../../src/pipeline/prepare-model-inputs';
import { flattenHl7Waveform } from '../inference/flat-hl7';
import { TEST_MODELS_DIR } from '../inference/model-dir-fixture';
import { fixture } from '../helpers/paths';

let registry: ModelRegistry;
const pool = new DecodePool(1);
before(async () => {
  registry = await ModelRegistry.load({ modelDir: TEST_MODELS_DIR, intraOpThreads: 1, maxBatch: 4, maxWaitMs: 2 });
});
after(async () => {
  await registry.close();
  await pool.onApplicationShutdown();
});

function specs(): ModelInputSpec[] {
  return registry.models.map((m) => ({ modelId: m.identity.id, spec: m.manifest.input, thresholds: m.qualityThresholds }));
}

test('a pool thread prepares every model\'s input exactly as the main thread does, in model order', async () => {
  for (const file of [fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), fixture('dicom', 'ecgtoolkit_Example.dcm')]) {
    const bytes = readFileSync(file);
    const { inputs } = await pool.prepareInputs(bytes, specs());
    const record = decodeEcg({ bytes });
    const cache = createSignalCache();
    const expected = registry.models.map((m) => m.preprocessor.prepare(record, cache));
    assert.equal(inputs.length, registry.models.length);
    assert.deepEqual(inputs, expected, file);
  }
});

test('a quality issue comes back as the model\'s indeterminate input, not an error', async () => {
  const text = readFileSync(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), 'latin1');
  const { inputs } = await pool.prepareInputs(Buffer.from(flattenHl7Waveform(text, 'FLAT-1'), 'latin1'), specs());
  for (const p of inputs) assert.ok(p.status === 'indeterminate' && p.issue.code === 'flat-lead', JSON.stringify(p));
});

test('bytes that do not decode reject with the decoder\'s code', async () => {
  await assert.rejects(pool.prepareInputs(new TextEncoder().encode('not an ECG'), specs()), { code: 'DECODE_FORMAT_UNKNOWN' });
});
