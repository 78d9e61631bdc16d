import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanAbsoluteError } from '../../src/evaluation/mae';

test('mean of absolute differences, signs ignored', () => {
  assert.equal(meanAbsoluteError([50, 60, 90], [55, 50, 90]), 5);
});

test('NaN for no pairs; RangeError for mismatched lengths', () => {
  assert.ok(Number.isNaN(meanAbsoluteError([], [])));
  assert.throws(() => meanAbsoluteError([1], [1, 2]), RangeError);
});
