import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ModelRegistry } from '../../src/inference/model-registry';
import { makeModelDir, readContractManifest, TEST_MODELS_DIR } from './model-dir-fixture';

const OPTIONS = { intraOpThreads: 1, maxBatch: 4, maxWaitMs: 2 };

async function load(dir: string, lines: string[] = []) {
  return ModelRegistry.load({ modelDir: dir, ...OPTIONS }, { info: () => undefined, warn: (_o: object, msg?: string) => void lines.push(msg ?? '') });
}

test('loads both contract models from test-models with their identity', async (t) => {
  const registry = await load(TEST_MODELS_DIR);
  t.after(() => registry.close());
  assert.deepEqual(registry.refused, []);
  assert.deepEqual(registry.models.map((m) => m.identity.id), ['contract-ecgfounder-cad', 'contract-vit-multitask']);
  for (const m of registry.models) {
    assert.equal(m.identity.purpose, 'contract-test');
    assert.equal(m.identity.clinicallyValidated, false);
    assert.match(m.identity.sha256, /^[0-9a-f]{64}$/);
    assert.equal(m.maxBatch, 4);
  }
});

test('refuses each broken model with one line naming the model and the field, and loads the rest', async (t) => {
  const { dir, cleanup } = makeModelDir([
    { from: 'contract-vit-multitask', id: 'good-vit' },
    { from: 'contract-ecgfounder-cad', id: 'bad-sha', mutate: (m) => (m['sha256'] = '0'.repeat(64)) },
    { from: 'contract-ecgfounder-cad', id: 'bad-input-name', mutate: (m) => (m.input['name'] = 'ecg') },
    {
      from: 'contract-ecgfounder-cad',
      id: 'bad-input-shape',
      mutate: (m) => Object.assign(m.input, { sampleRateHz: 100, shape: [-1, 12, 1000], filters: [] }),
    },
    { from: 'contract-ecgfounder-cad', id: 'bad-filter', mutate: (m) => (m.input.filters[0]!['type'] = 'bandstop') },
    { from: 'contract-ecgfounder-cad', id: 'bad-output-name', mutate: (m) => (m.outputs[2]!['tensor'] = 'probs') },
    { from: 'contract-ecgfounder-cad', id: 'bad-output-index', mutate: (m) => (m.outputs[3]!['index'] = 4) },
    { from: 'contract-ecgfounder-cad', id: 'not-onnx', onnx: new TextEncoder().encode('not an onnx file'), mutate: (m) => (m['sha256'] = '') },
  ]);
  t.after(cleanup);
  // a corrupt model needs a matching checksum to reach onnxruntime
  const { createHash } = await import('node:crypto');
  const notOnnx = join(dir, 'not-onnx');
  const manifest = JSON.parse(readFileSync(join(notOnnx, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  manifest['sha256'] = createHash('sha256').update(readFileSync(join(notOnnx, 'model.onnx'))).digest('hex');
  (await import('node:fs')).writeFileSync(join(notOnnx, 'manifest.json'), JSON.stringify(manifest));

  const lines: string[] = [];
  const registry = await load(dir, lines);
  t.after(() => registry.close());
  assert.deepEqual(registry.models.map((m) => m.identity.id), ['good-vit']);
  const byId = Object.fromEntries(registry.refused.map((r) => [r.id, r]));
  const expect = (id: string, code: string, field: string, message: RegExp) => {
    const r = byId[id];
    assert.ok(r, `${id} was not refused`);
    assert.equal(r.code, code, id);
    assert.equal(r.field, field, id);
    assert.ok(r.message.startsWith(`model ${id}: ${field}: `), r.message);
    assert.match(r.message, message);
    assert.ok(lines.includes(r.message), `logged as one line: ${r.message}`);
  };
  expect('bad-sha', 'MODEL_CHECKSUM_MISMATCH', 'sha256', new RegExp(`model.onnx has sha256 ${String(readContractManifest('contract-ecgfounder-cad')['sha256'])}, the manifest says 0{64}`));
  expect('bad-input-name', 'MODEL_IO_MISMATCH', 'input.name', /the model's input is "signal", not "ecg"/);
  expect('bad-input-shape', 'MODEL_IO_MISMATCH', 'input.shape[2]', /the model's input has 5000 samples, the manifest says 1000/);
  expect('bad-filter', 'MODEL_MANIFEST_INVALID', 'input.filters[0].type', /unknown filter "bandstop"/);
  expect('bad-output-name', 'MODEL_IO_MISMATCH', 'outputs[2].tensor', /no output "probs" \(it has "vessel_probabilities"\)/);
  expect('bad-output-index', 'MODEL_IO_MISMATCH', 'outputs[3].index', /index 4 is outside output "vessel_probabilities" \(last dimension 4\)/);
  expect('not-onnx', 'MODEL_LOAD_FAILED', 'model.onnx', /onnxruntime cannot load it/);
  assert.equal(registry.refused.length, 7);
});

test('a folder without manifest.json or model.onnx is refused; files and hidden folders are ignored', async (t) => {
  const { dir, cleanup } = makeModelDir([{ from: 'contract-ecgfounder-cad', id: 'no-onnx' }]);
  t.after(cleanup);
  const fs = await import('node:fs');
  fs.rmSync(join(dir, 'no-onnx', 'model.onnx'));
  fs.mkdirSync(join(dir, 'empty'));
  fs.mkdirSync(join(dir, '.cache'));
  fs.writeFileSync(join(dir, 'README.md'), 'models go here');
  fs.mkdirSync(join(dir, 'bad-json'));
  fs.writeFileSync(join(dir, 'bad-json', 'manifest.json'), '{ "schemaVersion": 1, ');
  const registry = await load(dir);
  t.after(() => registry.close());
  assert.deepEqual(
    registry.refused.map((r) => `${r.id} ${r.code} ${r.field}`),
    ['bad-json MODEL_MANIFEST_INVALID manifest.json', 'empty MODEL_MANIFEST_INVALID manifest.json', 'no-onnx MODEL_LOAD_FAILED model.onnx'],
  );
});

test('a MODEL_DIR that does not exist gives an empty registry, not a crash', async () => {
  const registry = await load(join(TEST_MODELS_DIR, 'no-such-folder'));
  assert.equal(registry.models.length, 0);
  assert.equal(registry.refused.length, 0);
});
