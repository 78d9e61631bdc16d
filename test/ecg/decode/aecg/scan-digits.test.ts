import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanDigits } from '../../../../src/ecg/decode/aecg/scan-digits';
import { DecodeError } from '../../../../src/ecg/decode/decode-error';

test('scans signed integers separated by any XML whitespace', () => {
  assert.deepEqual(Array.from(scanDigits(' -2 -2\n\t+3\r\n0 123456 ', 'f')), [-2, -2, 3, 0, 123456]);
  assert.deepEqual(Array.from(scanDigits('7', 'f')), [7]);
  assert.deepEqual(Array.from(scanDigits('', 'f')), []);
  assert.deepEqual(Array.from(scanDigits(' \n ', 'f')), []);
});

test('keeps the extremes of nine digits', () => {
  assert.deepEqual(Array.from(scanDigits('999999999 -999999999', 'f')), [999999999, -999999999]);
});

for (const bad of ['1.5', '1-2', '-', '+', 'abc', '1,2', '12a', '1234567890', '0x1F', '&#32;']) {
  test(`refuses "${bad}" as a digit, naming the field`, () => {
    assert.throws(
      () => scanDigits(`1 ${bad} 3`, 'seq/value/digits'),
      (err: unknown) => err instanceof DecodeError && err.code === 'DECODE_INVALID_VALUE' && err.field === 'seq/value/digits' && /digit 2\b/.test(err.message),
    );
  });
}
