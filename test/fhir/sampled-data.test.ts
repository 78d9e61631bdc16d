import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toFhirDateTime } from '../../src/fhir/mapping/fhir-datetime';
import { findQuantum, fromSampledData, toSampledData } from '../../src/fhir/mapping/sampled-data';

const uv = { system: 'http://unitsofmeasure.org', code: 'uV', unit: 'µV' };

test('samples on a common resolution are written as integers with that factor', () => {
  const s = Float32Array.from([-5, -7.5, 0, 12.5, 2.5, 100]);
  const sd = toSampledData(s, 500, uv);
  assert.equal(sd.factor, 2.5);
  assert.equal(sd.data, '-2 -3 0 5 1 40');
  assert.equal(sd.period, 2);
});

test('a coarse lead whose smallest step is a multiple of the resolution still finds the resolution', () => {
  const s = Float32Array.from([0, 5, 10, 7.5, 12.5]);
  assert.equal(findQuantum(s), 2.5);
});

test('a non-decimal resolution (4.88 µV) survives float32 storage', () => {
  const s = Float32Array.from([3, -7, 12, 1000, -32768].map((k) => k * 4.88));
  const sd = toSampledData(s, 500, uv);
  assert.equal(sd.factor, 4.88);
  assert.equal(sd.data, '3 -7 12 1000 -32768');
});

test('signals with no common resolution are written as decimals without a factor, NaN as E', () => {
  const s = Float32Array.from([0.1234, Math.PI, NaN, -2.71828]);
  const sd = toSampledData(s, 360, uv);
  assert.equal(sd.factor, undefined);
  assert.equal(sd.data, '0.123 3.142 E -2.718');
  assert.equal(sd.period, 2.77777778);
  const back = fromSampledData(sd);
  assert.ok(Number.isNaN(back[2]));
});

test('an all-zero lead is written as zeros', () => {
  assert.equal(toSampledData(new Float32Array(3), 1000, uv).data, '0 0 0');
});

test('FHIR dateTime: dates and offset times pass, local times get the zone offset, garbage is refused', () => {
  assert.equal(toFhirDateTime('2024-03-05', 'Europe/Paris'), '2024-03-05');
  assert.equal(toFhirDateTime('2024-03-05T10:00:00-05:00', 'Europe/Paris'), '2024-03-05T10:00:00-05:00');
  assert.equal(toFhirDateTime('2024-03-05T10:00:00', 'UTC'), '2024-03-05T10:00:00+00:00');
  assert.equal(toFhirDateTime('2024-03-05T10:00:00', 'America/New_York'), '2024-03-05T10:00:00-05:00');
  assert.equal(toFhirDateTime('2024-03-31T03:30:00', 'Europe/Paris'), '2024-03-31T03:30:00+02:00');
  assert.equal(toFhirDateTime('2024-10-27T01:30:00', 'Asia/Kolkata'), '2024-10-27T01:30:00+05:30');
  assert.equal(toFhirDateTime('yesterday', 'UTC'), undefined);
});
