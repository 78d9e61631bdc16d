import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readEcgFile } from '../../src/cli/read-ecg-file';
import { decodeEcg } from '../../src/ecg/decode/decode-ecg';
import type { EcgRecord } from '../../src/ecg/record';
import { interpretOutputs } from '../../src/inference/interpret';
import { ModelRegistry } from '../../src/inference/model-registry';
import type { ModelResult, OutputResult } from '../../src/inference/model-result';
import { openOnnxSession } from '../../src/inference/onnx-session';
import { parseManifest } from '../../src/inference/parse-manifest';
import { REPO_ROOT, SHARED_DIR } from '../helpers/paths';

const MODELS_DIR = join(REPO_ROOT, 'models');
const DIR = join(MODELS_DIR, 'ecg-vit-reference');
const ARCHIVE = join(SHARED_DIR, 'datasets', 'ptbxl-100hz.tar.xz');

/**
 * What export.py saved: four fold-10 records, the model inputs it fed PyTorch
 * (export-check-input.f32le, mV, (4, 12, 1000)) and PyTorch's outputs for them.
 */
interface ExportCheck {
  sha256: string;
  records: Array<{
    record: string;
    input_first5_mV: number[][];
    logits: Record<string, number>;
    probabilities: Record<string, number>;
    age_years: number;
  }>;
}
const check = JSON.parse(readFileSync(join(DIR, 'export-check.json'), 'utf8')) as ExportCheck;
const manifest = parseManifest(JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')), 'ecg-vit-reference');
const raw = readFileSync(join(DIR, 'export-check-input.f32le'));
const inputs = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
const [, LEADS = 12, SAMPLES = 1000] = manifest.input.shape;
const PER_RECORD = LEADS * SAMPLES;

// Tolerances of export-check.json (onnxruntime vs PyTorch): 1e-4 on logits and probabilities, 1e-3 years on age.
const TOL_LOGIT = 1e-4;
const TOL_AGE = 1e-3;

/** Largest |gateway − PyTorch| over one record's outputs, split into logits/probabilities and age. */
function diffs(outputs: readonly OutputResult[], saved: ExportCheck['records'][number]): { logit: number; age: number } {
  let logit = 0;
  let age = 0;
  for (const o of outputs) {
    assert.equal(o.status, 'scored', o.key);
    if (o.status !== 'scored') continue;
    if (o.kind === 'probability') {
      const l = saved.logits[o.key];
      const p = saved.probabilities[o.key];
      assert.ok(l !== undefined && p !== undefined, `export-check.json has ${o.key}`);
      logit = Math.max(logit, Math.abs(o.raw - l), Math.abs(o.probability - p));
    } else if (o.kind === 'regression') {
      age = Math.max(age, Math.abs(o.value - saved.age_years));
    }
  }
  return { logit, age };
}

function assertMatchesPytorch(label: string, results: ReadonlyArray<readonly OutputResult[]>): void {
  let logit = 0;
  let age = 0;
  results.forEach((outputs, i) => {
    const d = diffs(outputs, check.records[i]!);
    logit = Math.max(logit, d.logit);
    age = Math.max(age, d.age);
  });
  // One line of evidence in the test log: the measured agreement, not just pass/fail.
  console.log(`${label}: max |gateway - PyTorch| logits/probabilities ${logit.toExponential(2)}, age ${age.toExponential(2)} years`);
  assert.ok(logit <= TOL_LOGIT, `${label}: logits differ by ${logit}`);
  assert.ok(age <= TOL_AGE, `${label}: age differs by ${age}`);
}

/** The saved mV input of record i as the EcgRecord a decoder would give (µV). */
function recordFromInput(i: number): EcgRecord {
  const leads: Record<string, Float32Array> = {};
  manifest.input.leads.forEach((name, l) => {
    const mv = inputs.subarray(i * PER_RECORD + l * SAMPLES, i * PER_RECORD + (l + 1) * SAMPLES);
    leads[name] = Float32Array.from(mv, (v) => v * 1000);
  });
  return { format: 'wfdb', sampleRateHz: manifest.input.sampleRateHz, samplesPerLead: SAMPLES, leads, derivedLeads: [], patient: {}, order: {}, measurements: {}, source: { format: 'wfdb', protocol: 'file' }, warnings: [] };
}

function scoredOutputs(r: ModelResult | undefined, what: string): OutputResult[] {
  assert.ok(r, what);
  assert.equal(r.status, 'scored', `${what}: ${r.status === 'indeterminate' ? r.reason.message : ''}`);
  return r.outputs;
}

test('the manifest sha256 is the sha256 of model.onnx, and export-check.json names the same model', () => {
  const actual = createHash('sha256').update(readFileSync(join(DIR, 'model.onnx'))).digest('hex');
  assert.equal(manifest.sha256, actual);
  assert.equal(check.sha256, actual);
});

test('the manifest is honest about what the model is', () => {
  assert.equal(manifest.clinicallyValidated, false);
  assert.equal(manifest.purpose, 'reference');
  assert.match(manifest.intendedUse, /demonstration and testing only/);
  assert.deepEqual(manifest.outputs.map((o) => o.key).sort(), ['afib', 'age_years', 'cd', 'hyp', 'mi', 'norm', 'sex_male', 'sttc']);
  for (const o of manifest.outputs) assert.ok(o.performance.some((p) => (p.metric === 'AUROC' || p.metric === 'MAE') && p.ci95), `${o.key} publishes a fold-10 figure with a CI`);
  assert.equal(inputs.length, check.records.length * PER_RECORD, 'export-check-input.f32le holds one input per saved record');
});

describe('the gateway reproduces the PyTorch outputs saved at export', () => {
  let registry: ModelRegistry;
  before(async () => {
    registry = await ModelRegistry.load({ modelDir: MODELS_DIR, intraOpThreads: 1, maxBatch: 8, maxWaitMs: 0 });
  });
  after(() => registry.close());

  test('the registry loads ecg-vit-reference without refusing it', () => {
    assert.deepEqual(registry.refused, []);
    assert.ok(registry.get('ecg-vit-reference'));
  });

  test('the saved input tensor, run by the gateway session and interpreted, gives the PyTorch outputs', async () => {
    const session = await openOnnxSession('ecg-vit-reference', readFileSync(join(DIR, 'model.onnx')), { intraOpThreads: 1 });
    try {
      const n = check.records.length;
      const out = await session.run(manifest.input.name, inputs, [n, LEADS, SAMPLES]);
      const results = Array.from({ length: n }, (_v, i) => {
        const rows: Record<string, Float32Array> = {};
        for (const [name, t] of Object.entries(out)) {
          const per = t.data.length / n;
          rows[name] = t.data.slice(i * per, (i + 1) * per);
        }
        return interpretOutputs(manifest.outputs, rows);
      });
      assertMatchesPytorch('session + interpret', results);
    } finally {
      await session.release();
    }
  });

  test('the saved inputs as EcgRecords, through preprocessing, quality gate and micro-batcher, give the PyTorch outputs', async () => {
    const model = registry.get('ecg-vit-reference')!;
    const results = await Promise.all(check.records.map((_r, i) => model.score(recordFromInput(i))));
    assertMatchesPytorch('score(record)', results.map((r, i) => scoredOutputs(r, check.records[i]!.record)));
  });

  describe('the saved records decoded from the shared PTB-XL archive', { skip: existsSync(ARCHIVE) ? false : `no ${ARCHIVE}` }, () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'ecg-vit-check-'));
      // xz decompresses sequentially: extracting the 8 members reads the whole 98 MB archive (~6 s here).
      const members = check.records.flatMap((r) => [`ptbxl-100hz/${r.record}.hea`, `ptbxl-100hz/${r.record}.dat`]);
      const t = spawnSync('tar', ['-xJf', ARCHIVE, '-C', dir, ...members], { encoding: 'utf8' });
      assert.equal(t.status, 0, t.stderr);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('the WFDB decoder gives the mV export.py fed PyTorch, and score gives its outputs', async () => {
      const model = registry.get('ecg-vit-reference')!;
      const results: OutputResult[][] = [];
      for (const saved of check.records) {
        const record = decodeEcg(readEcgFile(join(dir, 'ptbxl-100hz', `${saved.record}.hea`)));
        manifest.input.leads.forEach((name, l) => {
          const first5 = Array.from(record.leads[name]!.subarray(0, 5), (uv) => uv / 1000);
          first5.forEach((v, k) => assert.ok(Math.abs(v - saved.input_first5_mV[l]![k]!) < 1e-6, `${saved.record} ${name}[${k}]`));
        });
        results.push(scoredOutputs(await model.score(record), saved.record));
      }
      assertMatchesPytorch('decodeEcg + score', results);
    });
  });
});
