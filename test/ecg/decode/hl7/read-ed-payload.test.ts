import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assembleRecord } from '../../../../src/ecg/assemble-record';
import { DecodeError } from '../../../../src/ecg/decode/decode-error';
import type { NestedDecoder } from '../../../../src/ecg/decode/hl7/decode-hl7';
import type { EcgRecord } from '../../../../src/ecg/record';
import { fixture } from '../../../helpers/paths';
import { CHN_I_II, decode, oru, refuses, TIM } from './hl7-test-message';

const PAYLOAD = Buffer.from('DICM-like bytes \x00\x01\x02', 'latin1');
const NM = ['OBX|1|NM|8867-4^Heart rate^LN||72|/min^^UCUM|||||F', 'OBX|2|NM|8634-8^QT^LN||400|ms^^UCUM|||||F'];

/** A record the way the DICOM decoder would return it, with its own identifiers. */
function embedded(): EcgRecord {
  return assembleRecord(
    {
      format: 'dicom',
      sampleRateHz: 500,
      leads: new Map([['I', Float32Array.of(1, 2)], ['II', Float32Array.of(3, 4)]]),
      acquisitionTime: '2002-11-22T09:10:00',
      patient: { id: 'OTHER-ID', family: 'Doe', given: 'John', birthDate: '1960-01-01' },
      order: { accessionNumber: 'ACC1', studyInstanceUid: '1.2.3' },
      measurements: { '8867-4': { value: 70, unit: '/min' }, '8625-6': { value: 150, unit: 'ms' } },
      source: { format: 'dicom', manufacturer: 'ACME', encoding: '1.2.840.10008.1.2' },
      warnings: [{ code: 'DICOM_X', field: '(003A,0210)', message: 'x' }],
    },
    'WaveformSequence (5400,0100)',
  );
}

function recording(): { nested: NestedDecoder; calls: Array<{ bytes: Uint8Array; field: string }> } {
  const calls: Array<{ bytes: Uint8Array; field: string }> = [];
  return { calls, nested: (bytes, field) => (calls.push({ bytes, field }), embedded()) };
}

const ed = (n: number, value: string): string => `OBX|${n}|ED|93000&DCM^ECG object^L|1|${value}||||||F`;

test('hands Base64 DICOM from OBX ED to the nested decoder and puts the message on top', () => {
  const { nested, calls } = recording();
  const r = decode(oru([...NM, ed(3, `CART^application^dicom^Base64^${PAYLOAD.toString('base64')}`)]), nested);
  assert.deepEqual(calls.map((c) => [Buffer.from(c.bytes).toString('latin1'), c.field]), [[PAYLOAD.toString('latin1'), 'OBX[3]-5.5']]);
  assert.equal(r.format, 'hl7v2');
  assert.deepEqual(r.source, { format: 'hl7v2', manufacturer: 'ACME', encoding: '2.5', sendingApplication: 'CART', sendingFacility: 'CARDIO', wrappedFormat: 'dicom' });
  // PID wins over the object's patient, which keeps what PID does not say.
  assert.deepEqual(r.patient, { id: '123456', issuer: 'HOSP', family: 'DOE', given: 'JOHN', birthDate: '1960-01-01', sex: 'M' });
  assert.deepEqual(r.order, { accessionNumber: 'ACC1', studyInstanceUid: '1.2.3', messageControlId: 'MSG1', placerOrderNumber: 'PL1', fillerOrderNumber: 'FL1' });
  assert.deepEqual(Object.fromEntries(Object.entries(r.measurements).map(([k, m]) => [k, m.value])), { '8867-4': 72, '8625-6': 150, '8634-8': 400 });
  assert.equal(r.acquisitionTime, '2002-11-22T09:10:00'); // the object's, not OBR-7
  assert.deepEqual(r.warnings.map((w) => [w.code, w.field]), [['HL7_ED_PATIENT_MISMATCH', 'PID-3'], ['DICOM_X', 'OBX[3]-5.5/(003A,0210)']]);
  assert.deepEqual(r.leads['I'], Float32Array.of(1, 2));
});

test('reads Hex and A (text) ED encodings, XML types as aECG candidates', () => {
  const { nested, calls } = recording();
  decode(oru([ed(1, `^application^dicom^Hex^${PAYLOAD.toString('hex').toUpperCase()}`)]), nested);
  decode(oru([ed(1, '^text^xml^A^<AnnotatedECG a="1\\T\\2"/>')]), nested);
  decode(oru([ed(1, `^application^hl7v3+xml^Base64^${Buffer.from('<x/>').toString('base64')}`)]), nested);
  assert.deepEqual(calls.map((c) => Buffer.from(c.bytes).toString('latin1')), [PAYLOAD.toString('latin1'), '<AnnotatedECG a="1&2"/>', '<x/>']);
});

test('refuses an ED with empty data, whatever its type, at OBX-5.5', () => {
  refuses(() => decode(oru([ed(1, 'CART^application^dicom^Base64^')])), 'DECODE_REQUIRED_FIELD_MISSING', 'OBX-5.5');
  refuses(() => decode(oru([...NM, ed(3, '^application^pdf^Base64^')])), 'DECODE_REQUIRED_FIELD_MISSING', 'OBX[3]-5.5');
});

test('refuses ED data that does not match its encoding', () => {
  refuses(() => decode(oru([ed(1, '^application^dicom^Base64^not base64!')])), 'DECODE_INVALID_VALUE', 'OBX-5.5');
  refuses(() => decode(oru([ed(1, '^application^dicom^Hex^ABC')])), 'DECODE_INVALID_VALUE', 'OBX-5.5');
  refuses(() => decode(oru([ed(1, '^application^dicom^UU^AAAA')])), 'DECODE_INVALID_VALUE', 'OBX-5.4');
  refuses(() => decode(oru([ed(1, '^application^dicom^A^DICM')])), 'DECODE_INVALID_VALUE', 'OBX-5.4');
});

test('passes over an ED that is not an ECG object, then finds no waveform', () => {
  const err = refuses(() => decode(oru([ed(1, '^application^pdf^Base64^JVBERi0xLjQ=')])), 'DECODE_NO_WAVEFORM', 'OBX-3');
  assert.match(err.message, /OBX ED/);
});

test('keeps the nested error code, points at the ED field, says where inside it failed', () => {
  const failing: NestedDecoder = () => {
    throw new DecodeError('DECODE_INVALID_VALUE', 'Sampling Frequency (003A,001A)', 'sampling frequency must be positive');
  };
  const err = refuses(() => decode(oru([ed(1, `^application^dicom^Base64^${PAYLOAD.toString('base64')}`)]), failing), 'DECODE_INVALID_VALUE', 'OBX-5.5');
  assert.equal(err.message, 'embedded DICOM object: sampling frequency must be positive (at Sampling Frequency (003A,001A))');
  assert.ok(err.cause instanceof DecodeError);
});

test('prefers a waveform battery over an ED in the same message, with a warning', () => {
  const { nested, calls } = recording();
  const r = decode(oru([TIM, CHN_I_II, 'OBX|3|MA|ECG&WAV^Data^L|1|1^2', ed(4, `^application^dicom^Base64^${PAYLOAD.toString('base64')}`)]), nested);
  assert.equal(calls.length, 0);
  assert.equal(r.source.wrappedFormat, undefined);
  assert.deepEqual(r.warnings.map((w) => [w.code, w.field]), [['HL7_ED_IGNORED', 'OBX[4]-5']]);
});

test('the real ED-DICOM fixture hands the nested decoder a DICOM file (DICM at 128)', () => {
  const { nested, calls } = recording();
  decode(readFileSync(fixture('hl7', 'ecg', 'oru_r01_v25_ed_dicom.hl7')), nested);
  assert.equal(Buffer.from(calls[0]!.bytes.subarray(128, 132)).toString('latin1'), 'DICM');
  assert.equal(calls[0]!.field, 'OBX[8]-5.5');
});
