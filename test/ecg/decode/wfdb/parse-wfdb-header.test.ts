import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DecodeError } from '../../../../src/ecg/decode/decode-error';
import { parseWfdbHeader } from '../../../../src/ecg/decode/wfdb/parse-wfdb-header';
import { fixture } from '../../../helpers/paths';

function assertInvalid(header: string, code: string, field: string): void {
  assert.throws(
    () => parseWfdbHeader(header),
    (err: unknown) => err instanceof DecodeError && err.code === code && err.field === field,
  );
}

test('parses the irregular 100.hea: comment first, CRLF on the record line, a blank line between signals', () => {
  const header = parseWfdbHeader(readFileSync(fixture('wfdb', 'mitdb-100', '100.hea'), 'latin1'));
  assert.equal(header.recordName, '100');
  assert.equal(header.recordLine, 2);
  assert.equal(header.signalCount, 2);
  assert.equal(header.samplingFrequency, 360);
  assert.equal(header.samplesPerSignal, 650000);
  assert.deepEqual(header.comments, ['unnecessary comment', '69 M 1085 1629 x1', 'Aldomet, Inderal']);
  assert.deepEqual(header.signals[0], {
    line: 3, fileName: '100.dat', format: 212, samplesPerFrame: 1, skew: 0, byteOffset: 0,
    adcGain: 200, baseline: 1024, units: 'mV', adcResolution: 11, adcZero: 1024,
    initialValue: 995, checksum: -22131, blockSize: 0, description: 'MLII',
  });
  assert.equal(header.signals[1]?.line, 5);
  assert.equal(header.signals[1]?.description, 'V5');
});

test('parses gain(baseline)/units with a decimal gain, as PTB-XL and LUDB write it', () => {
  const header = parseWfdbHeader('00001_lr 12 100 1000\n00001_lr.dat 16 1000.0(0)/mV 16 0 -119 1508 0 I\n'.replace('12', '1'));
  assert.equal(header.signals[0]?.adcGain, 1000);
  assert.equal(header.signals[0]?.baseline, 0);
  const ludb = parseWfdbHeader('r 1 500 5000\nr.dat 16 1716(6)/mV 0 0 -120 -32198 0 i\n');
  assert.equal(ludb.signals[0]?.baseline, 6);
  assert.equal(ludb.signals[0]?.adcResolution, 0);
});

test('parses every optional part of the record and signal lines', () => {
  const header = parseWfdbHeader('rec 1 360/10(2) 1000 12:13:14.5 01/02/2003\nrec.dat 16x2:3+24 200(-7)/uV 12 5 1 2 0 chest lead  V1\n');
  assert.equal(header.counterFrequency, 10);
  assert.equal(header.baseCounter, 2);
  assert.equal(header.baseTime, '12:13:14.5');
  assert.equal(header.baseDate, '01/02/2003');
  const [s] = header.signals;
  assert.ok(s);
  assert.deepEqual([s.samplesPerFrame, s.skew, s.byteOffset, s.baseline, s.units, s.adcZero], [2, 3, 24, -7, 'uV', 5]);
  assert.equal(s.description, 'chest lead  V1', 'the rest of the line, spacing kept');
});

test('fills the spec defaults for a bare record line and a bare signal line', () => {
  const header = parseWfdbHeader('rec 1\nrec.dat 16\n');
  assert.equal(header.samplingFrequency, 250);
  assert.equal(header.samplesPerSignal, undefined);
  assert.deepEqual(header.signals[0], { line: 2, fileName: 'rec.dat', format: 16, samplesPerFrame: 1, skew: 0, byteOffset: 0, adcGain: 0, baseline: 0, units: 'mV', adcZero: 0 });
  const zeroBaseline = parseWfdbHeader('rec 1\nrec.dat 16 200 12 2048\n');
  assert.equal(zeroBaseline.signals[0]?.baseline, 2048, 'a missing baseline is the ADC zero');
});

test('lists the segments of a multi-segment header', () => {
  const header = parseWfdbHeader('multi/2 2 360 1000\nseg1 500\n~ 500\n');
  assert.equal(header.numberOfSegments, 2);
  assert.deepEqual(header.segments.map((s) => [s.recordName, s.samples]), [['seg1', 500], ['~', 500]]);
  assert.deepEqual(header.signals, []);
});

test('names the line and field of a value that is not a number', () => {
  assertInvalid('rec x 250\n', 'DECODE_INVALID_VALUE', 'rec.hea line 1 nsig');
  assertInvalid('rec 1 fast\nrec.dat 16\n', 'DECODE_INVALID_VALUE', 'rec.hea line 1 fs');
  assertInvalid('rec 1\nrec.dat 16 abc\n', 'DECODE_INVALID_VALUE', 'rec.hea line 2 adcgain');
  assertInvalid('rec 1\nrec.dat 16 200(x)\n', 'DECODE_INVALID_VALUE', 'rec.hea line 2 baseline');
  assertInvalid('rec 1\nrec.dat 16 200 12 0 0 1.5\n', 'DECODE_INVALID_VALUE', 'rec.hea line 2 checksum');
  assertInvalid('rec 1\nrec.dat sixteen\n', 'DECODE_INVALID_VALUE', 'rec.hea line 2 format');
});

test('refuses a header without a record line, or with extra signal lines', () => {
  assertInvalid('# only a comment\n\n', 'DECODE_MALFORMED', 'WFDB header');
  assertInvalid('rec 1 250\nrec.dat 16\nrec.dat 16\n', 'DECODE_MALFORMED', 'rec.hea line 1');
});
