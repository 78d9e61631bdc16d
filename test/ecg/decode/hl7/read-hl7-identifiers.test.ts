import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHN_I_II, decode, hl7Bytes, MSH, OBR, oru, PID, refuses, TIM } from './hl7-test-message';

const WAVEFORM = [TIM, CHN_I_II, 'OBX|3|MA|ECG&WAV^Data^L|1|1^2||||||F'];

test('reads PID-3, PID-5, PID-7, PID-8 and the OBR order numbers', () => {
  const r = decode(oru(WAVEFORM, {
    pid: 'PID|1||~A77^^^^^~123456^^^HOSP&1.2.3&ISO^MR||Doe&van^John^Q~Alias^X||19600101083000|f',
    obr: 'OBR|1|PL1^CART|FL1^CARDIO|ECG12^Resting ECG^L|||20240101115900+0100|||||||||||ACC-9',
  }));
  // The first CX with an ID wins; issuer is the HD namespace ID.
  assert.deepEqual(r.patient, { id: 'A77', family: 'Doe', given: 'John', birthDate: '1960-01-01', sex: 'F' });
  assert.deepEqual(r.order, { messageControlId: 'MSG1', placerOrderNumber: 'PL1', fillerOrderNumber: 'FL1', accessionNumber: 'ACC-9' });
  const second = decode(oru(WAVEFORM, { pid: 'PID|1||~123456^^^&1.2.3&ISO^MR||Doe' }));
  assert.deepEqual(second.patient, { id: '123456', issuer: '1.2.3', family: 'Doe' });
});

test('leaves the accession number unset without OBR-18 (OBR-3 stays the filler order number)', () => {
  const r = decode(oru(WAVEFORM));
  assert.equal(r.order.accessionNumber, undefined);
  assert.equal(r.order.fillerOrderNumber, 'FL1');
  assert.deepEqual(r.source, { format: 'hl7v2', encoding: '2.5', sendingApplication: 'CART', sendingFacility: 'CARDIO' });
});

test('takes the order numbers from the OBR the waveform reports under', () => {
  const lab = ['OBR|1|LAB1|LAB2|24317-0^Hemogram^LN', 'OBX|1|NM|718-7^Hemoglobin^LN||14|g/dL|||||F'];
  const r = decode(hl7Bytes([MSH, PID, ...lab, OBR, ...WAVEFORM]));
  assert.equal(r.order.placerOrderNumber, 'PL1');
  assert.equal(r.measurements['718-7']?.value, 14); // every LOINC NM is read; the mapping picks
});

test('warns about a birth date or observation time that is not a date', () => {
  const r = decode(oru(WAVEFORM.slice(1), { pid: 'PID|1||123^^^H^MR||Doe||1960-01-01', obr: 'OBR|1|PL1|FL1|ECG12|||yesterday' }));
  assert.equal(r.patient.birthDate, undefined);
  assert.equal(r.acquisitionTime, undefined);
  assert.deepEqual(r.warnings.map((w) => [w.code, w.field]), [
    ['HL7_INVALID_DATE', 'PID-7'],
    ['HL7_INVALID_DATE', 'OBR-7'],
    ['HL7_TIM_MISSING', 'OBX[2]-4'],
  ]);
});

test('refuses a message without patient identifier, PID, or with OBX before OBR, without patient data in the error', () => {
  const noId = refuses(() => decode(oru(WAVEFORM, { pid: 'PID|1||^^^HOSP^MR~||Doe^John||19600101|M' })), 'DECODE_REQUIRED_FIELD_MISSING', 'PID-3');
  assert.doesNotMatch(noId.message, /Doe|John|1960/);
  refuses(() => decode(hl7Bytes([MSH, OBR, ...WAVEFORM])), 'DECODE_MALFORMED', 'PID');
  refuses(() => decode(hl7Bytes([MSH, PID, ...WAVEFORM])), 'DECODE_MALFORMED', 'OBX[1]');
  refuses(() => decode(hl7Bytes([MSH, PID, PID, OBR, ...WAVEFORM])), 'DECODE_MALFORMED', 'PID[2]');
});

test('reads LOINC NM measurements with their OBX-6 units and warns about unusable ones', () => {
  const r = decode(oru([
    'OBX|1|NM|8867-4^Heart rate^LN||72|/min^^UCUM|||||F',
    'OBX|2|NM|QT^QT interval^99LOCAL^8634-8^Q-T interval^LN||420|ms|||||F',
    'OBX|3|NM|147842^MDC_ECG_HEART_RATE^MDC||72|/min|||||F',
    'OBX|4|NM|8625-6^P-R interval^LN||148~150|ms|||||F',
    'OBX|5|NM|8633-0^QRS duration^LN||||||||I',
    'OBX|6|NM|8636-3^QTc^LN||443|ms|||||X',
    'OBX|7|NM|8626-4^P axis^LN||44||||||F',
    ...WAVEFORM.map((s) => s.replace(/^OBX\|(\d)/, (_, n: string) => `OBX|${Number(n) + 7}`)),
  ]));
  assert.deepEqual(r.measurements, {
    '8867-4': { value: 72, unit: '/min', sourceCode: '8867-4' },
    '8634-8': { value: 420, unit: 'ms', sourceCode: '8634-8' },
    '8626-4': { value: 44, unit: '', sourceCode: '8626-4' },
  });
  assert.deepEqual(r.warnings.map((w) => [w.code, w.field]), [
    ['HL7_MEASUREMENT_NOT_LOINC', 'OBX[3]-3'],
    ['HL7_MEASUREMENT_INVALID', 'OBX[4]-5'],
    ['HL7_MEASUREMENT_UNUSABLE', 'OBX[6]-11'],
    ['HL7_MEASUREMENT_UNIT_MISSING', 'OBX[7]-6'],
  ]);
});
