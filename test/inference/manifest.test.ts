import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGatewayError } from '../../src/errors/gateway-error';
import { parseManifest } from '../../src/inference/parse-manifest';
import { CONTRACT_MODELS, readContractManifest, type JsonManifest } from './model-dir-fixture';

function refusal(mutate: (m: JsonManifest) => void): { code: string; field: string | undefined; message: string } {
  const m = readContractManifest('contract-ecgfounder-cad');
  mutate(m);
  try {
    parseManifest(m, 'contract-ecgfounder-cad');
  } catch (err: unknown) {
    assert.ok(isGatewayError(err));
    return { code: err.code, field: err.field, message: err.message };
  }
  assert.fail('the manifest was accepted');
}

for (const id of CONTRACT_MODELS) {
  test(`the ${id} contract manifest is valid and marked contract-test, not clinically validated`, () => {
    const m = parseManifest(readContractManifest(id), id);
    assert.equal(m.purpose, 'contract-test');
    assert.equal(m.clinicallyValidated, false);
    assert.deepEqual(m.input.shape, [-1, 12, 5000]);
    assert.deepEqual(m.input.leads, ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
  });
}

test('the ViT-kind contract has a dozen probabilities including MFR < 2 and LVEF < 35 %', () => {
  const m = parseManifest(readContractManifest('contract-vit-multitask'), 'contract-vit-multitask');
  assert.equal(m.outputs.length, 12);
  assert.ok(m.outputs.every((o) => o.kind === 'probability'));
  assert.ok(m.outputs.some((o) => o.key === 'mfr_lt_2') && m.outputs.some((o) => o.key === 'lvef_lt_35'));
});

test('the ECGFounder-kind contract z-scores per lead and stratifies four vessels', () => {
  const m = parseManifest(readContractManifest('contract-ecgfounder-cad'), 'contract-ecgfounder-cad');
  assert.equal(m.input.normalization.type, 'zscore-per-lead');
  assert.deepEqual(m.outputs.map((o) => o.key), ['stenosis_rca', 'stenosis_lm', 'stenosis_lad', 'stenosis_lcx']);
  assert.ok(m.outputs.every((o) => o.kind === 'probability' && o.strata !== undefined));
});

test('defaults: cropPad start/zero, calibration none, filter orders, no citation', () => {
  const m = parseManifest(
    (() => {
      const j = readContractManifest('contract-ecgfounder-cad');
      delete j.input['cropPad'];
      j.input.filters = [{ type: 'highpass', cutoffHz: 0.5 }, { type: 'lowpass', cutoffHz: 40 }, { type: 'notch', frequencyHz: 60 }];
      delete j['citation'];
      return j;
    })(),
    'contract-ecgfounder-cad',
  );
  assert.deepEqual(m.input.cropPad, { crop: 'start', pad: 'zero' });
  assert.deepEqual(m.input.filters, [
    { type: 'highpass', cutoffHz: 0.5, order: 2 },
    { type: 'lowpass', cutoffHz: 40, order: 4 },
    { type: 'notch', frequencyHz: 60, qualityFactor: 30 },
  ]);
  assert.deepEqual(m.citation, []);
  const first = m.outputs[0];
  assert.ok(first?.kind === 'probability');
  assert.deepEqual(first.calibration, { type: 'none' });
});

const CASES: ReadonlyArray<[string, (m: JsonManifest) => void, string, RegExp]> = [
  ['an unknown filter', (m) => (m.input.filters[1]!['type'] = 'bandstop'), 'input.filters[1].type', /unknown filter "bandstop"/],
  ['a cut-off above Nyquist', (m) => (m.input.filters[1]!['cutoffHz'] = 300), 'input.filters[1].cutoffHz', /300 Hz is not below the Nyquist frequency 250 Hz/],
  ['a shape that disagrees with rate × duration', (m) => (m.input.shape = [-1, 12, 1000]), 'input.shape[2]', /1000 does not match sampleRateHz × durationS = 5000/],
  ['a shape that disagrees with the leads', (m) => (m.input.shape = [-1, 8, 5000]), 'input.shape[1]', /8 does not match the 12 leads/],
  ['a misspelt lead', (m) => ((m.input['leads'] as string[])[3] = 'avR'), 'input.leads[3]', /unknown lead "avR"/],
  ['an unknown normalisation', (m) => (m.input['normalization'] = { type: 'minmax' }), 'input.normalization.type', /unknown normalization "minmax"/],
  ['British spelling of a key', (m) => (m.input['normalisation'] = { type: 'none' }), 'input', /Unrecognized key\(s\) in object: 'normalisation'/],
  ['a bad sha256', (m) => (m['sha256'] = 'abc'), 'sha256', /64 lower-case hex digits/],
  ['an unknown output kind', (m) => (m.outputs[2]!['kind'] = 'risk'), 'outputs[2].kind', /unknown output kind "risk"/],
  ['softmax without a group', (m) => (m.outputs[0]!['activation'] = 'softmax'), 'outputs[0].softmaxGroup', /softmax needs a group/],
  ['thresholds in the wrong order', (m) => ((m.outputs[1]!['strata'] as { specificityThreshold: { value: number } }).specificityThreshold.value = 0.01), 'outputs[1].strata.specificityThreshold.value', /must be at or above sensitivityThreshold.value/],
  ['a non-monotone isotonic table', (m) => (m.outputs[0]!['calibration'] = { type: 'isotonic', x: [0, 0.5, 0.4], y: [0, 0.5, 1] }), 'outputs[0].calibration.x[2]', /strictly increasing/],
  ['an unknown calibration', (m) => (m.outputs[0]!['calibration'] = { type: 'beta' }), 'outputs[0].calibration.type', /unknown calibration "beta"/],
  ['a duplicate output key', (m) => (m.outputs[3]!['key'] = 'stenosis_rca'), 'outputs[3].key', /duplicate key "stenosis_rca"/],
  ['a regression without unit', (m) => (m.outputs[0] = { key: 'age', tensor: 'vessel_probabilities', index: 0, meaning: 'age', kind: 'regression', coding: 'x' }), 'outputs[0].unit', /Required/],
  ['a contract-test model claiming validation', (m) => (m['clinicallyValidated'] = true), 'clinicallyValidated', /cannot be clinically validated/],
  ['a minimum duration above the duration', (m) => (m.input['cropPad'] = { minDurationS: 12 }), 'input.cropPad.minDurationS', /must not exceed durationS/],
  ['a non-whole number of samples', (m) => Object.assign(m.input, { durationS: 10.0001 }), 'input.durationS', /not a whole number of samples/],
];

for (const [what, mutate, field, message] of CASES) {
  test(`refuses ${what} with one line naming the model and ${field}`, () => {
    const r = refusal(mutate);
    assert.equal(r.code, 'MODEL_MANIFEST_INVALID');
    assert.equal(r.field, field);
    assert.ok(r.message.startsWith(`model contract-ecgfounder-cad: ${field}: `), r.message);
    assert.match(r.message, message);
    assert.ok(!r.message.includes('\n'), 'one line');
  });
}

test('refuses an id that is not the folder name', () => {
  const m = readContractManifest('contract-ecgfounder-cad');
  assert.throws(() => parseManifest(m, 'other-folder'), /model other-folder: id: "contract-ecgfounder-cad" does not match the folder name "other-folder"/);
});
