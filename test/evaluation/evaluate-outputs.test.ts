import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateOutputs, type EvaluatedRecord } from '../../src/evaluation/evaluate-outputs';
import { formatEvaluation } from '../../src/evaluation/format-evaluation';
import type { OutputSpec } from '../../src/inference/manifest.schema';
import type { ModelIdentity, ModelResult, Stratum } from '../../src/inference/model-result';

const model: ModelIdentity = { id: 'm', name: 'm', version: '1', sha256: '0'.repeat(64), purpose: 'reference', clinicallyValidated: false, intendedUse: 'testing' };
const base = { meaning: 'm', coding: 'c', tensor: 't' };
const outputs = [
  { ...base, key: 'p', kind: 'probability', index: 0, activation: 'sigmoid', calibration: { type: 'none' }, performance: [{ metric: 'AUROC', value: 1, ci95: [0.9, 1], dataset: 'd' }] },
  { ...base, key: 'age', kind: 'regression', index: 0, unit: 'a', rescale: { scale: 1, offset: 0 }, performance: [{ metric: 'MAE', value: 9, ci95: [8, 9.5], dataset: 'd' }] },
] as unknown as OutputSpec[];

function scored(p: number, stratum: Stratum, age: number): ModelResult {
  return {
    model,
    status: 'scored',
    preprocessing: {} as never,
    outputs: [
      { key: 'p', kind: 'probability', meaning: 'm', coding: 'c', status: 'scored', raw: 0, probability: p, stratum },
      { key: 'age', kind: 'regression', meaning: 'm', coding: 'c', status: 'scored', raw: age, value: age, unit: 'a' },
    ],
  };
}
const gated: ModelResult = {
  model,
  status: 'indeterminate',
  reason: { code: 'flat-lead', message: 'lead I is flat' },
  outputs: outputs.map((o) => ({ key: o.key, kind: o.kind as 'probability', meaning: 'm', coding: 'c', status: 'indeterminate', reason: { code: 'flat-lead', message: 'x' } })),
};

test('AUROC and MAE over scored, labelled records; indeterminate and unlabelled ones counted apart', () => {
  const records: EvaluatedRecord[] = [
    { result: scored(0.9, 'high', 60), labels: { p: 1, age: 50 } },
    { result: scored(0.2, 'low', 40), labels: { p: 0, age: 48 } },
    { result: scored(0.5, 'intermediate', 70), labels: { p: 0, age: Number.NaN } },
    { result: gated, labels: { p: 1, age: 30 } },
  ];
  const [p, age] = evaluateOutputs(outputs, records, { resamples: 50, seed: 1 });
  assert.deepEqual({ n: p!.n, pos: p!.positives, value: p!.value, strata: p!.strata }, { n: 3, pos: 1, value: 1, strata: { low: 1, intermediate: 1, high: 1, indeterminate: 1, none: 0 } });
  assert.equal(p!.withinPublishedCi, true);
  assert.deepEqual({ n: age!.n, unlabelled: age!.unlabelled, value: age!.value }, { n: 2, unlabelled: 1, value: 9 });
  assert.equal(age!.withinPublishedCi, true);
  const text = formatEvaluation({ id: 'm', version: '1', sha256: 'abc', dataset: 'd', records: 4, scored: 3, indeterminate: 1, resamples: 50, seed: 1, indeterminateReasons: { 'flat-lead': 1 } }, [p!, age!], { p: { low: 1, intermediate: 1, high: 1 } });
  assert.match(text, /^model m 1 sha256 abc/);
  assert.match(text, /indeterminate by reason: flat-lead 1/);
  assert.match(text, /p\s+AUROC\s+3\s+1\s+1\.0000/);
});
