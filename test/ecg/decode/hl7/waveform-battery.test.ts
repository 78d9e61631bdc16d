import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHN_I_II, decode, hl7Bytes, lead, MSH, OBR, oru, PID, refuses, TIM } from './hl7-test-message';

const wav = (n: number, type: 'NA' | 'MA', data: string): string => `OBX|${n}|${type}|ECG&WAV^Data^L|1|${data}||||||F`;

test('reads NA channel blocks and MA instants of the same samples into the same leads', () => {
  // Three instants of leads I and II: (1,2) (3,4) (5,6).
  const ma = decode(oru([TIM, CHN_I_II, wav(3, 'MA', '1^2~3^4~5^6')]));
  const na = decode(oru([TIM, CHN_I_II, wav(3, 'NA', '1^3^5~2^4^6')]));
  for (const r of [ma, na]) {
    assert.deepEqual(lead(r, 'I'), [5, 15, 25]);
    assert.deepEqual(lead(r, 'II'), [10, 20, 30]);
    assert.deepEqual(lead(r, 'III'), [5, 5, 5]); // derived: II − I
    assert.deepEqual(r.derivedLeads, ['III', 'aVR', 'aVL', 'aVF']);
    assert.equal(r.sampleRateHz, 500);
  }
});

test('joins data split over several WAV OBX in order, for NA and MA', () => {
  const ma = decode(oru([TIM, CHN_I_II, wav(3, 'MA', '1^2~3^4'), wav(4, 'MA', '5^6'), wav(5, 'MA', '7^8~9^10')]));
  assert.deepEqual(lead(ma, 'I'), [5, 15, 25, 35, 45]);
  const na = decode(oru([TIM, CHN_I_II, wav(3, 'NA', '1^3~2^4'), wav(4, 'NA', '5~6'), wav(5, 'NA', '7^9~8^10')]));
  assert.deepEqual(lead(na, 'II'), [10, 20, 30, 40, 50]);
});

test('scales (raw − baseline) × sensitivity × correction, the baseline in raw units', () => {
  // I: 5 µV, correction 2, baseline 100 → raw 110 is (110 − 100) × 5 × 2 = 100 µV.
  // II: 0.005 mV = 5 µV, correction 1, baseline −20 → raw −20 is 0 µV, raw 0 is 100 µV.
  const chn = 'OBX|2|CD|ECG&CHN^Channels^L|1|1&I^I^5&uV^2&100&0^500~2&II^II^0.005&mV^1&-20||||||F';
  const r = decode(oru([TIM, chn, wav(3, 'MA', '110^-20~100^0~90.5^-19.5')]));
  assert.deepEqual(lead(r, 'I'), [100, 0, -95]);
  assert.deepEqual(lead(r, 'II'), [0, 100, 2.5]);
});

test('keeps a missing value (two adjacent delimiters) as NaN and warns', () => {
  const r = decode(oru([TIM, CHN_I_II, wav(3, 'MA', '1^~3^4~^6')]));
  assert.deepEqual(lead(r, 'I'), [5, 15, NaN]);
  assert.deepEqual(lead(r, 'II'), [NaN, 20, 30]);
  assert.deepEqual(r.warnings.map((w) => [w.code, w.field]), [['HL7_MISSING_SAMPLES', 'OBX[3]-5']]);
  assert.match(r.warnings[0]!.message, /^2 samples/);
});

test('keeps every sample of a field made only of delimiters, all missing', () => {
  // Empty values take no bytes, so a field can hold more values than half its length.
  const r = decode(oru([TIM, CHN_I_II, wav(3, 'MA', Array(300).fill('^').join('~'))]));
  assert.equal(r.samplesPerLead, 300);
  assert.ok(lead(r, 'II').every(Number.isNaN));
  assert.match(r.warnings[0]!.message, /^600 samples/);
});

test('reads signs, decimals and blanks; ignores a trailing repetition delimiter', () => {
  const r = decode(oru([TIM, CHN_I_II, wav(3, 'MA', ' +1 ^-2.5~.5^0~')]));
  assert.deepEqual(lead(r, 'I'), [5, 2.5]);
  assert.deepEqual(lead(r, 'II'), [-12.5, 0]);
});

test('refuses a non-numeric sample, naming repetition and component', () => {
  refuses(() => decode(oru([TIM, CHN_I_II, wav(3, 'MA', '1^2~3^x')])), 'DECODE_INVALID_VALUE', 'OBX[3]-5[2].2');
  refuses(() => decode(oru([TIM, CHN_I_II, wav(3, 'NA', '1^3^5~2^4e1^6')])), 'DECODE_INVALID_VALUE', 'OBX[3]-5[2].2');
  refuses(() => decode(oru([TIM, CHN_I_II, wav(3, 'NA', '1^-^5~2^4^6')])), 'DECODE_INVALID_VALUE', 'OBX[3]-5[1].2');
  refuses(() => decode(oru([TIM, CHN_I_II, wav(3, 'MA', '1^2~3^4\\S\\5')])), 'DECODE_INVALID_VALUE', 'OBX[3]-5[2].2');
  refuses(() => decode(oru([TIM, CHN_I_II, wav(3, 'MA', '1^２~3^4')])), 'DECODE_INVALID_VALUE', 'OBX[3]-5[1].2');
});

test('refuses data that does not fit the channels, naming where', () => {
  refuses(() => decode(oru([TIM, CHN_I_II, wav(3, 'MA', '1^2~3~5^6')])), 'DECODE_WAVEFORM_INCONSISTENT', 'OBX[3]-5[2]');
  refuses(() => decode(oru([TIM, CHN_I_II, wav(3, 'MA', '1^2~3^4^5')])), 'DECODE_WAVEFORM_INCONSISTENT', 'OBX[3]-5[2]');
  refuses(() => decode(oru([TIM, CHN_I_II, wav(3, 'NA', '1^3^5~2^4')])), 'DECODE_WAVEFORM_INCONSISTENT', 'OBX[3]-5[2]');
  refuses(() => decode(oru([TIM, CHN_I_II, wav(3, 'NA', '1^3^5')])), 'DECODE_WAVEFORM_INCONSISTENT', 'OBX[3]-5');
  refuses(() => decode(oru([TIM, CHN_I_II, wav(3, 'NA', '1^3~2^4'), wav(4, 'MA', '5^6')])), 'DECODE_WAVEFORM_INCONSISTENT', 'OBX[4]-2');
  const twoRates = 'OBX|2|CD|ECG&CHN^Channels^L|1|1&I^I^5&uV^^500~2&II^II^^^250||||||F';
  refuses(() => decode(oru([TIM, twoRates, wav(3, 'MA', '1^2')])), 'DECODE_WAVEFORM_INCONSISTENT', 'OBX[2]-5[2].5');
  const twice = 'OBX|2|CD|ECG&CHN^Channels^L|1|1&I^I^5&uV^^500~2&Lead I^I||||||F';
  refuses(() => decode(oru([TIM, twice, wav(3, 'MA', '1^2')])), 'DECODE_INVALID_VALUE', 'OBX[2]-5[2].1');
});

test('calls a message that stops inside the last WAV truncated, and the same data with a terminator inconsistent', () => {
  const segments = [MSH, PID, OBR, TIM, CHN_I_II, 'OBX|3|MA|ECG&WAV^Data^L|1|1^2~3^4~5'];
  refuses(() => decode(Buffer.from(segments.join('\r'), 'latin1')), 'DECODE_TRUNCATED', 'OBX[3]-5[3]');
  refuses(() => decode(hl7Bytes(segments)), 'DECODE_WAVEFORM_INCONSISTENT', 'OBX[3]-5[3]');
  const cutNumber = [...segments.slice(0, 5), 'OBX|3|NA|ECG&WAV^Data^L|1|1^3^5~2^-'];
  refuses(() => decode(Buffer.from(cutNumber.join('\r'), 'latin1')), 'DECODE_TRUNCATED', 'OBX[3]-5[2]');
  const cutBlock = [...segments.slice(0, 5), 'OBX|3|NA|ECG&WAV^Data^L|1|1^3^5~2^4'];
  refuses(() => decode(Buffer.from(cutBlock.join('\r'), 'latin1')), 'DECODE_TRUNCATED', 'OBX[3]-5[2]');
});

test('takes acquisition time from TIM, else from OBR-7 with a warning', () => {
  assert.equal(decode(oru([TIM, CHN_I_II, wav(3, 'MA', '1^2')])).acquisitionTime, '2024-01-01T11:59:30.500');
  const noTim = decode(oru([CHN_I_II, wav(3, 'MA', '1^2')]));
  assert.equal(noTim.acquisitionTime, '2024-01-01T11:59:00');
  assert.deepEqual(noTim.warnings.map((w) => [w.code, w.field]), [['HL7_TIM_MISSING', 'OBX[2]-4']]);
});

test('reads the first battery by OBX-4 sub-ID and leaves out others and data after a time gap, with warnings', () => {
  const second = ['OBX|4|TS|ECG&TIM^Start^L|2|20240101120000', 'OBX|5|CD|ECG&CHN^Channels^L|2|1&V1^V1^1&uV^^500', 'OBX|6|MA|ECG&WAV^Data^L|2|7~8~9'];
  const gap = ['OBX|7|TS|ECG&TIM^Start^L|1|20240101120010', wav(8, 'MA', '9^9')];
  const r = decode(oru([TIM, CHN_I_II, wav(3, 'MA', '1^2~3^4'), ...second, ...gap]));
  assert.deepEqual(Object.keys(r.leads).filter((k) => !r.derivedLeads.includes(k)), ['I', 'II']);
  assert.deepEqual(lead(r, 'I'), [5, 15]);
  assert.deepEqual(r.warnings.map((w) => [w.code, w.field]), [
    ['HL7_BATTERY_IGNORED', 'OBX[4]-4'],
    ['HL7_WAVEFORM_GAP', 'OBX[7]-5'],
  ]);
});

test('finds the category in OBX-3 as code&WAV, code^WAV or code.WAV, or from the CD/MA type', () => {
  const variants: Array<[string, string, string[]]> = [
    ['ECG&TIM^Start^L', 'ECG&CHN^Channels^L', []],
    ['ECG^TIM^L', 'ECG^CHN^L', []],
    ['ECG.TIM^Start^L', 'ECG.CHN^Channels^L', []],
    ['ECG&TIM^Start^L', 'ECG^Channels^L', ['HL7_WAVEFORM_SUFFIX_INFERRED']],
  ];
  for (const [tim, chn, warnings] of variants) {
    const r = decode(oru([`OBX|1|TS|${tim}|1|20240101115930`, `OBX|2|CD|${chn}|1|1&I^I^5&uV^^500~2&II^II`, `OBX|3|MA|ECG&WAV^Data^L|1|1^2`]));
    assert.deepEqual(lead(r, 'II'), [10], `${tim} ${chn}`);
    assert.equal(r.acquisitionTime, '2024-01-01T11:59:30');
    assert.deepEqual(r.warnings.map((w) => w.code), warnings);
  }
  refuses(() => decode(oru([TIM, CHN_I_II, 'OBX|3|NM|ECG&WAV^Data^L|1|1'])), 'DECODE_INVALID_VALUE', 'OBX[3]-2');
});

test('refuses WAV data without channel definitions in its battery, naming the WAV OBX-4', () => {
  refuses(() => decode(oru([TIM, wav(2, 'MA', '1^2')])), 'DECODE_REQUIRED_FIELD_MISSING', 'OBX[2]-4');
  const otherBattery = 'OBX|2|CD|ECG&CHN^Channels^L|2|1&I^I^5&uV^^500~2&II^II||||||F';
  refuses(() => decode(oru([TIM, otherBattery, wav(3, 'MA', '1^2')])), 'DECODE_REQUIRED_FIELD_MISSING', 'OBX[3]-4');
});

test('reads the whole 12-lead fixture layout: every lead from its own CHN repetition', () => {
  const chn = `OBX|2|CD|ECG&CHN^Channels^L|1|${['I', 'II', 'V1'].map((l, i) => `${i + 1}&${l}^${l}${i === 0 ? '^1&uV^1&0&0^250' : ''}`).join('~')}`;
  const r = decode(hl7Bytes([MSH.replace('ORU^R01^ORU_R01', 'ORU^W01').replace('|2.5', '|2.3'), PID, OBR, TIM, chn, wav(3, 'MA', '1^2^3~4^5^6')]));
  assert.deepEqual(Object.keys(r.leads), ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1']);
  assert.deepEqual(lead(r, 'V1'), [3, 6]);
  assert.equal(r.sampleRateHz, 250);
});
