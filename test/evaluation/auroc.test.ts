import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auroc } from '../../src/evaluation/auroc';

test('perfect separation is 1, perfectly inverted is 0', () => {
  assert.equal(auroc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1);
  assert.equal(auroc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]), 0);
});

test('equals the fraction of positive-negative pairs ranked correctly, ties counting one half', () => {
  // pairs (pos, neg): (0.4,0.1) 1, (0.4,0.4) ½, (0.4,0.35) 1, (0.8,*) 1 each → (1 + ½ + 1 + 3) / 6
  assert.equal(auroc([0, 0, 0, 1, 1], [0.1, 0.4, 0.35, 0.4, 0.8]), 5.5 / 6);
});

test('every score tied is 0.5', () => {
  assert.equal(auroc([0, 1, 0, 1, 1], [0.3, 0.3, 0.3, 0.3, 0.3]), 0.5);
});

test('is undefined (NaN) when one class is absent or there is no data', () => {
  assert.ok(Number.isNaN(auroc([1, 1, 1], [0.2, 0.5, 0.9])));
  assert.ok(Number.isNaN(auroc([0, 0], [0.2, 0.5])));
  assert.ok(Number.isNaN(auroc([], [])));
});

test('matches the O(n²) pair count on random data with ties', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const labels = Array.from({ length: 300 }, () => (rnd() < 0.3 ? 1 : 0));
  const scores = labels.map((l) => Math.round((rnd() + l * 0.4) * 20) / 20);
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) for (let j = 0; j < labels.length; j++) {
    if (labels[i] !== 1 || labels[j] !== 0) continue;
    pairs++;
    wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
  }
  assert.ok(Math.abs(auroc(labels, scores) - wins / pairs) < 1e-12);
});

test('refuses labels and scores of different lengths', () => {
  assert.throws(() => auroc([0, 1], [0.5]), RangeError);
});
