import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auroc } from '../../src/evaluation/auroc';
import { bootstrapCi, quantile } from '../../src/evaluation/bootstrap-ci';
import { meanAbsoluteError } from '../../src/evaluation/mae';
import { seededRandom } from '../../src/evaluation/seeded-random';

const labels = Array.from({ length: 200 }, (_v, i) => (i % 3 === 0 ? 1 : 0));
const scores = labels.map((l, i) => ((i * 37) % 101) / 101 + l * 0.3);

test('the same seed gives the same interval; another seed a different one', () => {
  const a = bootstrapCi(auroc, labels, scores, 500, 1);
  const b = bootstrapCi(auroc, labels, scores, 500, 1);
  const c = bootstrapCi(auroc, labels, scores, 500, 2);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('the interval brackets the point estimate and is narrower with more data', () => {
  const value = auroc(labels, scores);
  const ci = bootstrapCi(auroc, labels, scores, 1000, 1);
  assert.ok(ci.lower < value && value < ci.upper);
  assert.equal(ci.used, 1000);
  const big = bootstrapCi(auroc, [...labels, ...labels, ...labels, ...labels], [...scores, ...scores, ...scores, ...scores], 1000, 1);
  assert.ok(big.upper - big.lower < ci.upper - ci.lower);
});

test('resamples with one class only are dropped, not counted as 0.5', () => {
  const ci = bootstrapCi(auroc, [1, 0, 0, 0, 0, 0, 0, 0], [0.9, 0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.4], 400, 3);
  assert.ok(ci.used < 400 && ci.used > 0);
  assert.equal(ci.lower, 1);
  const none = bootstrapCi(auroc, [1, 1], [0.2, 0.3], 10, 1);
  assert.equal(none.used, 0);
  assert.ok(Number.isNaN(none.lower) && Number.isNaN(none.upper));
});

test('works for MAE; a constant error gives a zero-width interval', () => {
  const ci = bootstrapCi(meanAbsoluteError, [10, 20, 30, 40], [12, 18, 32, 38], 200, 9);
  assert.deepEqual([ci.lower, ci.upper], [2, 2]);
});

test('quantile interpolates linearly between ranks (numpy default)', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.025), 1.1);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

test('the seeded PRNG is deterministic and in [0, 1)', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5) < 0.05);
});
