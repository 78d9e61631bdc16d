import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecodeWarning } from '../../../../src/ecg/record';
import { parseChannelDefinitions } from '../../../../src/ecg/decode/hl7/parse-channel-definitions';
import { readHl7Message } from '../../../../src/ecg/decode/hl7/read-hl7-message';
import { hl7Bytes, MSH, refuses } from './hl7-test-message';

function channels(cd: string, warnings: DecodeWarning[] = []): ReturnType<typeof parseChannelDefinitions> {
  const obx = readHl7Message(hl7Bytes([MSH, `OBX|1|CD|ECG&CHN^Channels^L|1|${cd}||||||F`])).segments[1]!;
  return parseChannelDefinitions(obx, warnings);
}

test('carries components 3 to 6 over from the last channel that gave them (sticky defaults)', () => {
  const defs = channels('1&I^I^2.5&uV^2&5&0^500^-2048&2047~2&II^II^0.005&mV^&7~3&V1^V1~4&V2^V2^^^250');
  assert.deepEqual(
    defs.map((d) => [d.lead, d.sensitivity, d.unit, d.correction, d.baseline, d.samplingFrequency, d.min, d.max]),
    [
      ['I', 2.5, 'uV', 2, 5, 500, -2048, 2047],
      ['II', 0.005, 'mV', 2, 7, 500, -2048, 2047], // new CSU, correction kept, new baseline
      ['V1', 0.005, 'mV', 2, 7, 500, -2048, 2047], // everything carried over
      ['V2', 0.005, 'mV', 2, 7, 250, -2048, 2047],
    ],
  );
  assert.deepEqual(defs.map((d) => d.microvoltsPerUnit), [5, 10, 10, 10]);
  assert.deepEqual(defs.map((d) => d.location), ['OBX-5[1]', 'OBX-5[2]', 'OBX-5[3]', 'OBX-5[4]']);
});

test('defaults correction 1, baseline 0, skew 0 when no channel gives them', () => {
  const [def] = channels('1&I^I^1&uV^^500');
  assert.deepEqual([def!.correction, def!.baseline, def!.skew, def!.min, def!.max], [1, 0, 0, undefined, undefined]);
});

test('converts CSU units to µV: uV, µV, mV, V, and their written-out forms', () => {
  const defs = channels('1&I^I^2&uV^^500~2&II^II^2&µV~3&V1^V1^2&mV~4&V2^V2^0.000002&V~5&V3^V3^2&&millivolts');
  assert.deepEqual(defs.map((d) => Math.round(d.microvoltsPerUnit * 1e9) / 1e9), [2, 2, 2000, 2, 2000]);
});

test('names the lead from the channel name, else the waveform source, else the channel number', () => {
  const defs = channels('1&Lead II^^1&uV^^500~2&^aVF~3&RESP^RESP~4');
  assert.deepEqual(defs.map((d) => d.lead), ['II', 'aVF', 'RESP', 'channel 4']);
});

test('warns that a channel time skew is not applied', () => {
  const warnings: DecodeWarning[] = [];
  channels('1&I^I^1&uV^1&0&0.001^500~2&II^II', warnings);
  assert.deepEqual(warnings.map((w) => [w.code, w.field]), [['HL7_TIME_SKEW_IGNORED', 'OBX-5[1].4.3']]);
});

test('refuses channels that cannot be scaled or timed, naming the component', () => {
  refuses(() => channels('1&I^I^^^500'), 'DECODE_REQUIRED_FIELD_MISSING', 'OBX-5[1].3');
  refuses(() => channels('1&I^I^&uV^^500'), 'DECODE_REQUIRED_FIELD_MISSING', 'OBX-5[1].3.1');
  refuses(() => channels('1&I^I^2.5^^500'), 'DECODE_REQUIRED_FIELD_MISSING', 'OBX-5[1].3.2');
  refuses(() => channels('1&I^I^2.5&mmHg^^500'), 'DECODE_INVALID_VALUE', 'OBX-5[1].3.2');
  refuses(() => channels('1&I^I^0&uV^^500'), 'DECODE_INVALID_VALUE', 'OBX-5[1].3.1');
  refuses(() => channels('1&I^I^x&uV^^500'), 'DECODE_INVALID_VALUE', 'OBX-5[1].3.1');
  refuses(() => channels('1&I^I^1&uV^1&zero^500'), 'DECODE_INVALID_VALUE', 'OBX-5[1].4.2');
  refuses(() => channels('1&I^I^1&uV^0^500'), 'DECODE_INVALID_VALUE', 'OBX-5[1].4.1');
  refuses(() => channels('1&I^I^1&uV'), 'DECODE_REQUIRED_FIELD_MISSING', 'OBX-5[1].5');
  refuses(() => channels('1&I^I^1&uV^^500~2&II^II^^^-1'), 'DECODE_INVALID_VALUE', 'OBX-5[2].5');
  refuses(() => channels('1&I^I^1&uV^^500^low&2047'), 'DECODE_INVALID_VALUE', 'OBX-5[1].6.1');
});
