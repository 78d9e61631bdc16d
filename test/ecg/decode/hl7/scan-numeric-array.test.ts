import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanNumericArray } from '../../../../src/ecg/decode/hl7/scan-numeric-array';

const CARET = 0x5e;
const TILDE = 0x7e;
const never = (): never => assert.fail('no value should fail');

function scan(text: string): { values: number[]; ends: number[]; missing: number } {
  const r = scanNumericArray(Buffer.from(text, 'latin1'), CARET, TILDE, never);
  return { values: Array.from(r.values), ends: Array.from(r.repetitionEnds), missing: r.missing };
}

function failure(text: string): [number, number, boolean] {
  let got: [number, number, boolean] | undefined;
  try {
    scanNumericArray(Buffer.from(text, 'latin1'), CARET, TILDE, (rep, comp, last) => {
      got = [rep, comp, last];
      throw new Error('stop');
    });
  } catch (err: unknown) {
    if (!(err instanceof Error) || err.message !== 'stop') throw err;
  }
  assert.ok(got, `${text} did not fail`);
  return got;
}

test('reads integers, signs, decimals and blanks, with repetition ends', () => {
  assert.deepEqual(scan('1^-22^333~4^5^6'), { values: [1, -22, 333, 4, 5, 6], ends: [3, 6], missing: 0 });
  assert.deepEqual(scan(' 7 ^+8^-0.25~.5^10.^ -3 '), { values: [7, 8, -0.25, 0.5, 10, -3], ends: [3, 6], missing: 0 });
  assert.deepEqual(scan('0'), { values: [0], ends: [1], missing: 0 });
  assert.deepEqual(scan('123456789012'), { values: [123456789012], ends: [1], missing: 0 });
});

test('keeps empty values as NaN and drops only an empty last repetition', () => {
  assert.deepEqual(scan('^1~~2^'), { values: [NaN, 1, NaN, 2, NaN], ends: [2, 3, 5], missing: 3 });
  assert.deepEqual(scan('1~2~'), { values: [1, 2], ends: [1, 2], missing: 0 });
  assert.deepEqual(scan(''), { values: [NaN], ends: [1], missing: 1 });
  assert.deepEqual(scan('~').ends, [1]);
});

test('reports the 1-based repetition and component of the first value that is not NM', () => {
  assert.deepEqual(failure('1^2~3^x'), [2, 2, true]);
  assert.deepEqual(failure('1^2~3^4x~5^6'), [2, 2, false]);
  assert.deepEqual(failure('12a^3'), [1, 1, true]);
  assert.deepEqual(failure('1^-~2'), [1, 2, false]);
  assert.deepEqual(failure('1^+^2'), [1, 2, true]);
  assert.deepEqual(failure('1^.^2'), [1, 2, true]);
  assert.deepEqual(failure('1^2e3'), [1, 2, true]);
  assert.deepEqual(failure('1^2\x00^3'), [1, 2, true]);
  assert.deepEqual(failure('1^\xb2'), [1, 2, true]); // superscript two is not a digit
});
