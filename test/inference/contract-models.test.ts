import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EcgRecord } from '../../src/ecg/record';
import { ModelRegistry } from '../../src/inference/model-registry';
import type { ModelResult } from '../../src/inference/model-result';
import { ScoringService } from '../../src/inference/scoring-service';
import { syntheticEcg } from '../ecg/signal/synthetic-ecg';
import { CONTRACT_MODELS, makeModelDir, readContractManifest } from './model-dir-fixture';

async function serviceFor(dir: string, maxBatch = 8) {
  const registry = await ModelRegistry.load({ modelDir: dir, intraOpThreads: 1, maxBatch, maxWaitMs: 2 });
  return { registry, service: new ScoringService(registry) };
}

function scored(r: ModelResult | undefined) {
  assert.ok(r, 'no result');
  assert.equal(r.status, 'scored', r.status === 'indeterminate' ? r.reason.message : '');
  if (r.status !== 'scored') throw new Error('unreachable');
  return r;
}

for (const id of CONTRACT_MODELS) {
  test(`${id} dropped into an empty MODEL_DIR scores ECGs at 100–1000 Hz with no code change`, async (t) => {
    const { dir, cleanup } = makeModelDir([{ from: id }]);
    t.after(cleanup);
    const { registry, service } = await serviceFor(dir);
    t.after(() => registry.close());
    const manifest = readContractManifest(id);
    for (const fs of [100, 240, 250, 360, 500, 1000]) {
      const [result] = await service.score(syntheticEcg({ sampleRateHz: fs, durationS: 10 }));
      const r = scored(result);
      assert.equal(r.model.id, id);
      assert.equal(r.model.sha256, manifest['sha256']);
      assert.equal(r.model.clinicallyValidated, false);
      assert.equal(r.model.purpose, 'contract-test');
      assert.equal(r.preprocessing.targetRateHz, 500);
      assert.deepEqual(r.preprocessing.resampled === undefined, fs === 500, `${fs} Hz is resampled`);
      assert.deepEqual(r.outputs.map((o) => o.key), manifest.outputs.map((o) => o['key']));
      for (const o of r.outputs) {
        assert.ok(o.status === 'scored' && o.kind === 'probability', `${o.key} scored`);
        assert.ok(o.probability >= 0 && o.probability <= 1);
        if (o.thresholds) {
          const p = o.probability;
          const expected = p < o.thresholds.sensitivityThreshold.value ? 'low' : p >= o.thresholds.specificityThreshold.value ? 'high' : 'intermediate';
          assert.equal(o.stratum, expected);
        }
      }
    }
  });
}

test('the two models see different preprocessing of the same ECG and give different, deterministic outputs', async (t) => {
  const { dir, cleanup } = makeModelDir(CONTRACT_MODELS.map((from) => ({ from })));
  t.after(cleanup);
  const { registry, service } = await serviceFor(dir);
  t.after(() => registry.close());
  const a = syntheticEcg({ sampleRateHz: 500, durationS: 10, heartRateBpm: 60 });
  const b = syntheticEcg({ sampleRateHz: 500, durationS: 10, heartRateBpm: 110 });
  const [a1, a2, b1] = [await service.score(a), await service.score(a), await service.score(b)];
  assert.deepEqual(a1, a2, 'same ECG, same result');
  const probs = (rs: ModelResult[]) => rs.flatMap((r) => r.outputs.map((o) => (o.status === 'scored' && o.kind === 'probability' ? o.probability : NaN)));
  assert.notDeepEqual(probs(a1), probs(b1), 'a different ECG changes the outputs');
  assert.equal(a1.length, 2);
});

test('concurrent score() calls share micro-batched runs and get the same numbers as one at a time', async (t) => {
  const { dir, cleanup } = makeModelDir([{ from: 'contract-vit-multitask' }]);
  t.after(cleanup);
  const { registry, service } = await serviceFor(dir, 4);
  t.after(() => registry.close());
  const ecgs: EcgRecord[] = Array.from({ length: 10 }, (_, i) => syntheticEcg({ sampleRateHz: 500, durationS: 10, heartRateBpm: 50 + 7 * i }));
  const alone: ModelResult[] = [];
  for (const e of ecgs) alone.push(scored((await service.score(e))[0]));
  const model = registry.get('contract-vit-multitask')!;
  const before = model.stats();
  const together = (await Promise.all(ecgs.map((e) => service.score(e)))).map((r) => scored(r[0]));
  const after = model.stats();
  assert.equal(after.items - before.items, 10);
  assert.ok(after.runs - before.runs <= 4, `10 concurrent ECGs took ${after.runs - before.runs} runs`);
  assert.ok(after.largestBatch > 1 && after.largestBatch <= 4);
  together.forEach((r, i) => {
    const x = alone[i]!;
    assert.equal(r.outputs.length, x.outputs.length);
    r.outputs.forEach((o, k) => {
      const y = x.outputs[k]!;
      assert.ok(o.status === 'scored' && o.kind === 'probability' && y.status === 'scored' && y.kind === 'probability');
      assert.ok(Math.abs(o.probability - y.probability) < 1e-5, `ECG ${i} ${o.key}: batched ${o.probability} vs alone ${y.probability}`);
    });
  });
});

test('a flat-line ECG is indeterminate with the reason for every output, never a number', async (t) => {
  const { dir, cleanup } = makeModelDir(CONTRACT_MODELS.map((from) => ({ from })));
  t.after(cleanup);
  const { registry, service } = await serviceFor(dir);
  t.after(() => registry.close());
  const flat = syntheticEcg({ sampleRateHz: 500, durationS: 10, mutate: (_lead, x) => x.fill(0) });
  for (const r of await service.score(flat)) {
    assert.equal(r.status, 'indeterminate');
    assert.ok(r.status === 'indeterminate');
    assert.equal(r.reason.code, 'flat-lead');
    assert.match(r.reason.message, /lead I is flat/);
    for (const o of r.outputs) {
      assert.equal(o.status, 'indeterminate');
      assert.ok(!('probability' in o) && !('stratum' in o));
    }
  }
});

test('a truncated ECG is too-short for the ECGFounder kind (10 s) but padded for the ViT kind (minimum 8 s)', async (t) => {
  const { dir, cleanup } = makeModelDir(CONTRACT_MODELS.map((from) => ({ from })));
  t.after(cleanup);
  const { registry, service } = await serviceFor(dir);
  t.after(() => registry.close());
  const nine = await service.score(syntheticEcg({ sampleRateHz: 500, durationS: 9 }));
  const founder = nine.find((r) => r.model.id === 'contract-ecgfounder-cad')!;
  assert.ok(founder.status === 'indeterminate' && founder.reason.code === 'too-short');
  assert.match(founder.status === 'indeterminate' ? founder.reason.message : '', /record lasts 9 s, the model needs at least 10 s/);
  const vit = scored(nine.find((r) => r.model.id === 'contract-vit-multitask'));
  assert.equal(vit.preprocessing.paddedSamples, 500);
  const two = await service.score(syntheticEcg({ sampleRateHz: 500, durationS: 2 }));
  assert.ok(two.every((r) => r.status === 'indeterminate' && r.reason.code === 'too-short'));
});

test('an 8-lead source is completed with derived leads; a 2-lead Holter is lead-missing', async (t) => {
  const { dir, cleanup } = makeModelDir([{ from: 'contract-ecgfounder-cad' }]);
  t.after(cleanup);
  const { registry, service } = await serviceFor(dir);
  t.after(() => registry.close());
  const eight = scored((await service.score(syntheticEcg({ sampleRateHz: 1000, durationS: 10, leads: ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] })))[0]);
  assert.deepEqual(eight.preprocessing.derivedLeads, ['III', 'aVR', 'aVL', 'aVF']);
  const [holter] = await service.score(syntheticEcg({ sampleRateHz: 360, durationS: 30, leads: ['MLII', 'V5'] }));
  assert.ok(holter?.status === 'indeterminate' && holter.reason.code === 'lead-missing');
});

test('asking for a model that is not loaded is MODEL_NOT_FOUND; a refused one names its reason', async (t) => {
  const { dir, cleanup } = makeModelDir([{ from: 'contract-ecgfounder-cad', id: 'broken', mutate: (m) => (m['sha256'] = 'f'.repeat(64)) }]);
  t.after(cleanup);
  const { registry, service } = await serviceFor(dir);
  t.after(() => registry.close());
  const ecg = syntheticEcg({ sampleRateHz: 500, durationS: 10 });
  assert.throws(() => service.score(ecg, ['nope']), { code: 'MODEL_NOT_FOUND', message: /no model "nope"/ });
  assert.throws(() => service.score(ecg, ['broken']), { code: 'MODEL_NOT_FOUND', message: /model broken was refused at start \(model broken: sha256: / });
});
