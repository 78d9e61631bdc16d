import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDecimalString } from '../../../../src/ecg/decode/dicom/parse-decimal-string';

test('parses DS values with padding, signs, leading points and exponents', () => {
  assert.deepEqual(parseDecimalString(' 2.5 '), { value: 2.5 });
  assert.deepEqual(parseDecimalString('.05'), { value: 0.05 });
  assert.deepEqual(parseDecimalString('-1.25E-3'), { value: -0.00125 });
  assert.deepEqual(parseDecimalString('+10.'), { value: 10 });
  assert.deepEqual(parseDecimalString('0.00122\0'), { value: 0.00122 });
});

test('accepts a decimal comma or an over-long value with the rule broken, rejects non-numbers', () => {
  assert.equal(parseDecimalString('1,25')?.value, 1.25);
  assert.match(parseDecimalString('1,25')?.oddity ?? '', /comma/);
  assert.match(parseDecimalString('0.12345678901234567')?.oddity ?? '', /16 bytes/);
  assert.equal(parseDecimalString(''), undefined);
  assert.equal(parseDecimalString('abc'), undefined);
  assert.equal(parseDecimalString('1.2.3'), undefined);
  assert.equal(parseDecimalString('1e400'), undefined);
});
