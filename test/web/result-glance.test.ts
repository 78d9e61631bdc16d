import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resultGlance } from '../../src/web/result-glance';

const model = (id: string) => ({ id, name: id, version: '1', sha256: 'x', purpose: 'reference', clinicallyValidated: false, intendedUse: 'testing' });

test('gives each model its highest stratum and the outputs in the high stratum', () => {
  const glance = resultGlance({
    scores: [
      {
        model: model('a'),
        status: 'scored',
        outputs: [
          { key: 'mi', kind: 'probability', status: 'scored', probability: 0.9, stratum: 'high' },
          { key: 'norm', kind: 'probability', status: 'scored', probability: 0.1, stratum: 'low' },
          { key: 'age', kind: 'regression', status: 'scored', value: 60, unit: 'a' },
          { key: 'x', kind: 'probability', status: 'indeterminate', reason: { code: 'NON_FINITE', message: 'NaN' } },
        ],
      },
      { model: model('b'), status: 'scored', outputs: [{ key: 'afib', kind: 'probability', status: 'scored', probability: 0.3, stratum: 'intermediate' }] },
    ],
  });
  assert.deepEqual(glance, [
    { model: 'a', status: 'scored', high: ['mi'], indeterminate: 1, highest: 'high' },
    { model: 'b', status: 'scored', high: [], indeterminate: 0, highest: 'intermediate' },
  ]);
});

test('an indeterminate model carries its reason code and no stratum', () => {
  const reason = { code: 'SIGNAL_QUALITY_INSUFFICIENT', message: 'lead V1 flat', lead: 'V1' };
  const glance = resultGlance({ scores: [{ model: model('a'), status: 'indeterminate', reason, outputs: [{ key: 'mi', kind: 'probability', status: 'indeterminate', reason }] }] });
  assert.deepEqual(glance, [{ model: 'a', status: 'indeterminate', high: [], indeterminate: 1, reason: 'SIGNAL_QUALITY_INSUFFICIENT' }]);
});

test('rows without scores (not scored yet, failed, delivery only) have no glance', () => {
  assert.deepEqual(resultGlance(undefined), []);
  assert.deepEqual(resultGlance({ delivery: { state: 'dead' } }), []);
  assert.deepEqual(resultGlance({ scores: 'nope' }), []);
  assert.deepEqual(resultGlance({ scores: [null, { status: 'scored' }] }), []);
});
