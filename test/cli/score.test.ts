import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, describe, test } from 'node:test';
import type { ModelResult } from '../../src/inference/model-result';
import { syntheticEcg } from '../ecg/signal/synthetic-ecg';
import { fixture, fixtureFiles } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';
import { CONTRACT_MODELS, makeModelDir, TEST_MODELS_DIR } from '../inference/model-dir-fixture';
import { writeWfdbRecord } from '../inference/write-wfdb-record';

interface ScoreLine {
  file: string;
  sampleRateHz: number;
  derivedLeads: string[];
  results: ModelResult[];
}

function lines(stdout: string): ScoreLine[] {
  return stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as ScoreLine);
}

const FIXTURES = [
  ...fixtureFiles('dicom'),
  ...fixtureFiles('hl7/ecg', (n) => n.endsWith('.hl7')),
  ...fixtureFiles('aecg'),
  ...['ludb-ecg/ludb-ecg.hea', 'mitdb-100/100.hea', 'ptb-s0010_re/s0010_re.hea'].map((p) => fixture('wfdb', p)),
];

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
function wfdb(...args: Parameters<typeof syntheticEcg>): string {
  const hea = writeWfdbRecord(syntheticEcg(...args));
  temps.push(dirname(hea));
  return hea;
}

describe('ecg-gateway score on every ECG fixture with both contract models', () => {
  const run = runCli(['score', ...FIXTURES, '--model-dir', TEST_MODELS_DIR]);
  const byFile = new Map(lines(run.stdout).map((l) => [l.file, l]));

  test('exits 0 and prints one JSON line per file with a result from each contract model', () => {
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    for (const f of FIXTURES) {
      const line = byFile.get(f);
      assert.ok(line, `no line for ${f}`);
      assert.deepEqual(line.results.map((r) => r.model.id).sort(), [...CONTRACT_MODELS].sort(), f);
    }
  });

  test('every 12-lead fixture is scored; 100, 240 and 1000 Hz inputs are resampled to 500 Hz', () => {
    const rates = new Set<number>();
    for (const f of FIXTURES) {
      const line = byFile.get(f)!;
      if (f.endsWith('100.hea') || f.endsWith('minimum_aecg.xml')) continue;
      for (const r of line.results) {
        assert.equal(r.status, 'scored', `${f} ${r.model.id}: ${r.status === 'indeterminate' ? r.reason.message : ''}`);
        if (r.status !== 'scored') continue;
        assert.equal(r.preprocessing.resampled === undefined, line.sampleRateHz === 500, f);
        rates.add(line.sampleRateHz);
        for (const o of r.outputs) assert.ok(o.status === 'scored' && 'probability' in o && o.probability >= 0 && o.probability <= 1);
      }
    }
    for (const hz of [100, 240, 500, 1000]) assert.ok(rates.has(hz), `a ${hz} Hz fixture was scored`);
  });

  test('strata and thresholds are printed for the stratified outputs', () => {
    const r = byFile.get(fixture('dicom', 'waveform_ecg.dcm'))!.results.find((x) => x.model.id === 'contract-ecgfounder-cad')!;
    assert.ok(r.status === 'scored');
    for (const o of r.outputs) {
      assert.ok(o.status === 'scored' && o.kind === 'probability' && o.thresholds && o.stratum);
      assert.equal(typeof o.thresholds.sensitivityThreshold.sensitivity, 'number');
    }
  });

  test('the 2-lead MIT-BIH record and the 13-sample aECG are indeterminate with the reason, never a number', () => {
    for (const f of [fixture('wfdb', 'mitdb-100', '100.hea'), fixture('aecg', 'minimum_aecg.xml')]) {
      for (const r of byFile.get(f)!.results) {
        assert.equal(r.status, 'indeterminate', f);
        assert.ok(r.status === 'indeterminate' && r.reason.code === 'lead-missing');
        assert.ok(r.outputs.every((o) => o.status === 'indeterminate' && !('probability' in o)));
      }
    }
  });
});

test('a 12-lead record at 360 Hz is resampled by 25/18', () => {
  const r = runCli(['score', wfdb({ sampleRateHz: 360, durationS: 10 }), '--model-dir', TEST_MODELS_DIR]);
  assert.equal(r.status, 0, r.stderr);
  const [line] = lines(r.stdout);
  for (const m of line!.results) assert.deepEqual(m.status === 'scored' && m.preprocessing.resampled, { up: 25, down: 18 });
});

test('an 8-lead source (I, II, V1–V6) is completed with derived leads and scored', () => {
  const r = runCli(['score', wfdb({ sampleRateHz: 500, durationS: 10, leads: ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] }), '--model-dir', TEST_MODELS_DIR]);
  assert.equal(r.status, 0, r.stderr);
  const [line] = lines(r.stdout);
  assert.deepEqual(line!.derivedLeads, ['III', 'aVR', 'aVL', 'aVF']);
  for (const m of line!.results) {
    assert.equal(m.status, 'scored');
    assert.deepEqual(m.status === 'scored' && m.preprocessing.derivedLeads, ['III', 'aVR', 'aVL', 'aVF']);
  }
});

test('a flat-line ECG and a truncated ECG are indeterminate with the reason (exit 0: they are results)', () => {
  const flat = wfdb({ sampleRateHz: 500, durationS: 10, mutate: (_l, x) => x.fill(0) });
  const short = wfdb({ sampleRateHz: 500, durationS: 4 });
  const r = runCli(['score', flat, short, '--model-dir', TEST_MODELS_DIR]);
  assert.equal(r.status, 0, r.stderr);
  const [f, s] = lines(r.stdout);
  for (const m of f!.results) assert.ok(m.status === 'indeterminate' && m.reason.code === 'flat-lead' && /lead I is flat/.test(m.reason.message));
  for (const m of s!.results) assert.ok(m.status === 'indeterminate' && m.reason.code === 'too-short' && /record lasts 4 s/.test(m.reason.message));
});

test('--model picks one model', () => {
  const r = runCli(['score', fixture('dicom', 'ecgtoolkit_Example.dcm'), '--model-dir', TEST_MODELS_DIR, '--model', 'contract-vit-multitask']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(lines(r.stdout)[0]!.results.map((m) => m.model.id), ['contract-vit-multitask']);
});

test('an unknown --model is exit 2 with one error line', () => {
  const r = runCli(['score', fixture('dicom', 'ecgtoolkit_Example.dcm'), '--model-dir', TEST_MODELS_DIR, '--model', 'nope']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error MODEL_NOT_FOUND --model: no model "nope" in .*test-models\n$/);
});

test('bad files: one error line each and exit 2, the good ones still scored', () => {
  const bad = [fixture('hl7', 'ecg', 'bad', 'oru_truncated.hl7'), fixture('hl7', 'ecg', 'bad', 'oru_missing_patient_id.hl7'), fixture('dicom', 'negative', 'CT_small.dcm'), '/no/such/file.hl7'];
  const good = fixture('aecg', 'hl7_example_aecg.xml');
  const r = runCli(['score', bad[0]!, good, ...bad.slice(1), '--model-dir', TEST_MODELS_DIR]);
  assert.equal(r.status, 2);
  const errors = r.stderr.trim().split('\n');
  assert.deepEqual(errors.map((e) => e.slice(0, e.indexOf(': error '))), bad);
  for (const e of errors) assert.match(e, /^\S+: error (DECODE|FILE)_[A-Z_]+ .+: .+/);
  assert.deepEqual(lines(r.stdout).map((l) => l.file), [good]);
});

test('a refused model is a warning line naming the field; the others still score', (t) => {
  const { dir, cleanup } = makeModelDir([
    { from: 'contract-vit-multitask' },
    { from: 'contract-ecgfounder-cad', id: 'broken-cad', mutate: (m) => (m.input.filters[2]!['type'] = 'bandstop') },
  ]);
  t.after(cleanup);
  const r = runCli(['score', fixture('dicom', 'ecgtoolkit_Example.dcm'), '--model-dir', dir]);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, 'warning MODEL_MANIFEST_INVALID input.filters[2].type: model broken-cad: input.filters[2].type: unknown filter "bandstop" (known: highpass, lowpass, notch)\n');
  assert.deepEqual(lines(r.stdout)[0]!.results.map((m) => m.model.id), ['contract-vit-multitask']);
});

test('MODEL_DIR from the environment is used when --model-dir is absent', () => {
  const r = runCli(['score', fixture('dicom', 'ecgtoolkit_Example.dcm')], { MODEL_DIR: TEST_MODELS_DIR });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(lines(r.stdout)[0]!.results.length, 2);
});

test('no usable model is exit 2 naming the folder', (t) => {
  const { dir, cleanup } = makeModelDir([]);
  t.after(cleanup);
  const r = runCli(['score', fixture('dicom', 'ecgtoolkit_Example.dcm'), '--model-dir', dir]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^error MODEL_NOT_FOUND --model-dir: no usable model in /);
});
