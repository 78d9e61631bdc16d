import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatHl7Location, parseHl7Location, toErrorLocation } from '../../../../src/ecg/decode/hl7/hl7-location';

test('writes HL7 locations as SEG[seq]-field[rep].component.subcomponent', () => {
  assert.equal(formatHl7Location({ segment: 'PID', field: 3 }), 'PID-3');
  assert.equal(formatHl7Location({ segment: 'OBX', sequence: 3, field: 5 }), 'OBX[3]-5');
  assert.equal(formatHl7Location({ segment: 'OBX', sequence: 2, field: 5, repetition: 4, component: 5 }), 'OBX[2]-5[4].5');
  assert.equal(formatHl7Location({ segment: 'OBX', sequence: 5, field: 5, component: 3, subcomponent: 2 }), 'OBX[5]-5.3.2');
  assert.equal(formatHl7Location({ segment: 'PID' }), 'PID');
});

test('reads every written location back', () => {
  for (const text of ['MSH-12', 'PID-3', 'OBX[3]-5', 'OBX[2]-5[4].5', 'OBX[5]-5.3', 'OBX[1]-5[508]', 'OBX[2]-5[1].3.2', 'PID', 'MSH[2]', 'OBX-3']) {
    const loc = parseHl7Location(text);
    assert.ok(loc, text);
    assert.equal(formatHl7Location(loc), text);
  }
  assert.deepEqual(parseHl7Location('OBX[2]-5[4].5'), { segment: 'OBX', sequence: 2, field: 5, repetition: 4, component: 5 });
});

test('refuses text that is not a location', () => {
  for (const text of ['', 'file', 'WaveformSequence (5400,0100)', 'obx-5', 'OBX-', 'OBX[x]-5', 'PID-3 ']) assert.equal(parseHl7Location(text), undefined, text);
});

test('gives the six ERR-2 components, sequence and repetition defaulting to 1', () => {
  assert.deepEqual(toErrorLocation(parseHl7Location('PID-3')!), ['PID', '1', '3', '1', '', '']);
  assert.deepEqual(toErrorLocation(parseHl7Location('OBX[2]-5[4].5.1')!), ['OBX', '2', '5', '4', '5', '1']);
  assert.deepEqual(toErrorLocation(parseHl7Location('PID')!), ['PID', '1', '', '', '', '']);
});
