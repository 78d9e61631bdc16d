import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibrate, interpretOutputs, logit, sigmoid, softmax, stratify } from '../../src/inference/interpret';
import { outputSchema, type OutputSpec, type StrataSpec } from '../../src/inference/manifest.schema';

const close = (a: number | undefined, b: number, tol = 1e-9) => assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${a} vs ${b}`);

function spec(o: Record<string, unknown>): OutputSpec {
  return outputSchema.parse({ key: 'k', tensor: 't', meaning: 'm', coding: 'model-output/k', ...o });
}

const STRATA: StrataSpec = {
  sensitivityThreshold: { value: 0.21, sensitivity: 0.9 },
  specificityThreshold: { value: 0.63, specificity: 0.9 },
};

test('strata: low below the sensitivity threshold, intermediate at it and up to the specificity threshold, high at and above it', () => {
  assert.equal(stratify(0, STRATA), 'low');
  assert.equal(stratify(0.2099999, STRATA), 'low');
  assert.equal(stratify(0.21, STRATA), 'intermediate');
  assert.equal(stratify(0.2100001, STRATA), 'intermediate');
  assert.equal(stratify(0.6299999, STRATA), 'intermediate');
  assert.equal(stratify(0.63, STRATA), 'high');
  assert.equal(stratify(0.6300001, STRATA), 'high');
  assert.equal(stratify(1, STRATA), 'high');
});

test('strata with equal thresholds have no intermediate band', () => {
  const s: StrataSpec = { sensitivityThreshold: { value: 0.5, sensitivity: 0.8 }, specificityThreshold: { value: 0.5, specificity: 0.8 } };
  assert.equal(stratify(0.4999, s), 'low');
  assert.equal(stratify(0.5, s), 'high');
});

test('strata come from the calibrated probability, through the whole output path, at / below / above each threshold', () => {
  const o = spec({ kind: 'probability', index: 0, activation: 'sigmoid', strata: STRATA });
  const at = (p: number) => {
    const [r] = interpretOutputs([o], { t: [logit(p)] });
    assert.ok(r?.status === 'scored' && r.kind === 'probability');
    return r.stratum;
  };
  assert.equal(at(0.2), 'low');
  assert.equal(at(0.22), 'intermediate');
  assert.equal(at(0.62), 'intermediate');
  assert.equal(at(0.64), 'high');
  // exactly on a threshold (activation none: no floating-point round trip through the logit)
  const none = spec({ kind: 'probability', index: 0, activation: 'none', strata: STRATA });
  const exact = (p: number) => {
    const [r] = interpretOutputs([none], { t: [p] });
    assert.ok(r?.status === 'scored' && r.kind === 'probability');
    return r.stratum;
  };
  assert.equal(exact(0.21), 'intermediate');
  assert.equal(exact(0.63), 'high');
});

test('a result carries the thresholds and what they were chosen for', () => {
  const [r] = interpretOutputs([spec({ kind: 'probability', index: 0, activation: 'none', strata: STRATA })], { t: [0.5] });
  assert.ok(r?.status === 'scored' && r.kind === 'probability');
  assert.deepEqual(r.thresholds, STRATA);
  assert.equal(r.stratum, 'intermediate');
});

test('sigmoid and softmax activations', () => {
  close(sigmoid(0), 0.5);
  close(sigmoid(-800), 0);
  close(sigmoid(800), 1);
  const p = softmax([1, 2, 3]);
  close(p.reduce((a, b) => a + b, 0), 1);
  close(p[2], Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
  const o = spec({ kind: 'probability', index: 1, activation: 'softmax', softmaxGroup: [0, 1] });
  const [r] = interpretOutputs([o], { t: [0, Math.log(3)] });
  assert.ok(r?.status === 'scored' && r.kind === 'probability');
  close(r.probability, 0.75);
});

test('Platt calibration: p = σ(a·logit(p0) + b), exact on the raw logit with a sigmoid activation', () => {
  close(calibrate({ type: 'platt', a: 1, b: 0 }, 0.3), 0.3);
  close(calibrate({ type: 'platt', a: 2, b: -1 }, sigmoid(0.5), 0.5), sigmoid(0));
  const o = spec({ kind: 'probability', index: 0, activation: 'sigmoid', calibration: { type: 'platt', a: 1.1, b: -0.2 } });
  const [r] = interpretOutputs([o], { t: [2] });
  assert.ok(r?.status === 'scored' && r.kind === 'probability');
  close(r.probability, sigmoid(1.1 * 2 - 0.2));
  close(r.raw, 2);
});

test('isotonic calibration interpolates linearly and clamps outside the table', () => {
  const c = { type: 'isotonic' as const, x: [0.1, 0.5, 0.9], y: [0.05, 0.3, 0.95] };
  close(calibrate(c, 0), 0.05);
  close(calibrate(c, 0.1), 0.05);
  close(calibrate(c, 0.3), 0.175);
  close(calibrate(c, 0.5), 0.3);
  close(calibrate(c, 0.7), 0.625);
  close(calibrate(c, 1), 0.95);
});

test('regression: value = raw · scale + offset with its UCUM unit', () => {
  const o = spec({ kind: 'regression', index: 2, unit: 'a', rescale: { scale: 90, offset: 0 } });
  const [r] = interpretOutputs([o], { t: [0, 0, 0.5] });
  assert.deepEqual(r, { key: 'k', kind: 'regression', meaning: 'm', coding: 'model-output/k', status: 'scored', raw: 0.5, value: 45, unit: 'a' });
});

test('class: the most probable label, with every class probability', () => {
  const o = spec({ kind: 'class', activation: 'softmax', classes: [{ index: 0, label: 'female' }, { index: 1, label: 'male' }] });
  const [r] = interpretOutputs([o], { t: [Math.log(1), Math.log(4)] });
  assert.ok(r?.status === 'scored' && r.kind === 'class');
  assert.equal(r.label, 'male');
  close(r.probability, 0.8);
  close(r.probabilities['female'], 0.2);
});

test('a non-finite raw value or a "probability" outside [0, 1] makes that output indeterminate, never a number', () => {
  const sig = spec({ kind: 'probability', index: 0, activation: 'sigmoid' });
  const none = spec({ kind: 'probability', index: 0, activation: 'none' });
  for (const [o, raw] of [[sig, Number.NaN], [sig, Infinity], [none, 1.5], [none, -0.2]] as const) {
    const [r] = interpretOutputs([o], { t: [raw] });
    assert.equal(r?.status, 'indeterminate');
    assert.ok(r?.status === 'indeterminate' && r.reason.code === 'model-output-invalid');
    assert.ok(!('probability' in (r ?? {})));
  }
});
