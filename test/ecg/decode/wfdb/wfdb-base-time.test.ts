import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wfdbBaseDateTime } from '../../../../src/ecg/decode/wfdb/wfdb-base-time';

test('joins base date DD/MM/YYYY and base time into ISO 8601 without an offset', () => {
  assert.equal(wfdbBaseDateTime('10:20:30', '05/06/2021'), '2021-06-05T10:20:30');
  assert.equal(wfdbBaseDateTime('9:5:7.25', '1/2/1990'), '1990-02-01T09:05:07.250');
  assert.equal(wfdbBaseDateTime('45', '01/02/2003'), '2003-02-01T00:00:45', 'hours and minutes are optional');
});

test('gives no time without a date, or for values that are not a date and time', () => {
  assert.equal(wfdbBaseDateTime('10:20:30', undefined), undefined);
  assert.equal(wfdbBaseDateTime(undefined, '05/06/2021'), undefined);
  assert.equal(wfdbBaseDateTime('10:20:30', '2021-06-05'), undefined);
  assert.equal(wfdbBaseDateTime('10:20:30', '05/13/2021'), undefined);
  assert.equal(wfdbBaseDateTime('25:00:00', '05/06/2021'), undefined);
});
