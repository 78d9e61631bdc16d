import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import { decodeEcg, decodeNested } from '../../../../src/ecg/decode/decode-ecg';
import { DecodeError } from '../../../../src/ecg/decode/decode-error';
import { decodeHl7 } from '../../../../src/ecg/decode/hl7/decode-hl7';
import type { EcgRecord } from '../../../../src/ecg/record';
import type { ErrorCode } from '../../../../src/errors/error-codes';
import { GOLDEN_ECG } from '../../../helpers/golden-ecg-values';
import { fixture, fixtureFiles } from '../../../helpers/paths';
import { refuses } from './hl7-test-message';


/** The DICOM and aECG decoders are written alongside this one; until they land, ED messages cannot decode. */
const NOT_YET = 'decoder not implemented yet';

function decodeOrSkip(path: string, skip: (reason: string) => void): EcgRecord | undefined {
  try {
    return decodeHl7(readFileSync(path), decodeNested);
  } catch (err: unknown) {
    if (err instanceof DecodeError && err.message.includes(NOT_YET)) {
      skip(`nested decoder not landed yet: ${err.message}`);
      return undefined;
    }
    throw err;
  }
}

for (const path of fixtureFiles('hl7/ecg', (n) => n.endsWith('.hl7'))) {
  const name = basename(path);
  test(`decodes ${name} to the values in expected.json`, (t) => {
    const expected = GOLDEN_ECG[name];
    assert.ok(expected, `${name} has no entry in expected.json`);
    const record = decodeOrSkip(path, (reason) => t.skip(reason));
    if (!record) return;
    assert.equal(record.format, 'hl7v2');
    assert.equal(record.source.format, 'hl7v2');
    assert.equal(record.order.messageControlId, expected.controlId);
    if (expected.sampleRateHz !== undefined) assert.equal(record.sampleRateHz, expected.sampleRateHz);
    if (expected.samplesPerLead !== undefined) assert.equal(record.samplesPerLead, expected.samplesPerLead);
    if (expected.leads) {
      assert.deepEqual(Object.keys(record.leads).sort(), Object.keys(expected.leads).sort());
      for (const [lead, first] of Object.entries(expected.leads)) {
        const got = Array.from(record.leads[lead]!.subarray(0, first.length));
        got.forEach((v, i) => assert.ok(Math.abs(v - first[i]!) <= 1e-3, `${lead}[${i}] = ${v}, expected ${first[i]}`));
      }
    }
    if (expected.patient) assert.deepEqual(record.patient, expected.patient);
    if (expected.measurements) {
      const values = Object.fromEntries(Object.entries(record.measurements).map(([code, m]) => [code, m.value]));
      assert.deepEqual(values, expected.measurements);
    }
    const sameAs = /decodes as the aECG in (\S+)/.exec(expected.note ?? '')?.[1];
    if (sameAs) {
      const direct = decodeEcg({ bytes: readFileSync(fixture(sameAs)) });
      assert.equal(record.source.wrappedFormat, 'aecg');
      assert.equal(record.sampleRateHz, direct.sampleRateHz);
      assert.deepEqual(Object.keys(record.leads), Object.keys(direct.leads));
      for (const [lead, data] of Object.entries(direct.leads)) assert.deepEqual(record.leads[lead], data, `lead ${lead}`);
    }
  });
}

test('the ED messages say which format they wrap and keep the message identifiers on top', (t) => {
  const record = decodeOrSkip(fixture('hl7', 'ecg', 'oru_r01_v25_ed_dicom.hl7'), (reason) => t.skip(reason));
  if (!record) return;
  assert.equal(record.source.wrappedFormat, 'dicom');
  assert.equal(record.source.sendingApplication, 'ECGCART');
  assert.equal(record.order.placerOrderNumber, 'PL-7781');
  assert.equal(record.order.fillerOrderNumber, 'FL-20021122-1');
  assert.equal(record.measurements['8633-0']?.unit, 'ms');
});

test('a native battery takes acquisition time from TIM, identifiers from PID, OBR and MSH', () => {
  const record = decodeHl7(readFileSync(fixture('hl7', 'ecg', 'oru_r01_v23_na_12lead.hl7')), decodeNested);
  assert.equal(record.acquisitionTime, '2024-03-05T10:14:20.000'); // TIM, not OBR-7 (2002-11-22)
  assert.deepEqual(record.order, { messageControlId: 'ECG-NA-0001', placerOrderNumber: 'PL-7781', fillerOrderNumber: 'FL-20021122-1' });
  assert.deepEqual(record.source, { format: 'hl7v2', encoding: '2.3', sendingApplication: 'ECGCART', sendingFacility: 'CARDIOLOGY' });
  assert.deepEqual(record.derivedLeads, []); // all twelve leads are sent
  assert.deepEqual(record.measurements['8632-2'], { value: -61, unit: 'deg', sourceCode: '8632-2' });
  assert.deepEqual(record.warnings, []);
});

type Refusal = { code: ErrorCode; field: string };

/** Every file in hl7/ecg/bad and hl7/negative, with what the decoder must say about it. */
const REFUSALS: Readonly<Record<string, Refusal>> = {
  'oru_bad_sampling_rate.hl7': { code: 'DECODE_INVALID_VALUE', field: 'OBX[2]-5[1].5' },
  'oru_ma_ragged.hl7': { code: 'DECODE_WAVEFORM_INCONSISTENT', field: 'OBX[3]-5[2]' },
  'oru_missing_patient_id.hl7': { code: 'DECODE_REQUIRED_FIELD_MISSING', field: 'PID-3' },
  // The non-numeric "abc" of this fixture landed in OBX-3.2, shifting the identifier's text into
  // OBX-3.3 (name of coding system); the samples themselves are numbers (see the test below).
  'oru_na_nonnumeric.hl7': { code: 'DECODE_INVALID_VALUE', field: 'OBX[3]-3.3' },
  'oru_truncated.hl7': { code: 'DECODE_TRUNCATED', field: 'OBX[3]-5[508]' },
  'oru_unsupported_version.hl7': { code: 'DECODE_UNSUPPORTED_VERSION', field: 'MSH-12' },
  'oru_wav_without_chn.hl7': { code: 'DECODE_REQUIRED_FIELD_MISSING', field: 'OBX[2]-4' },
  'ADT-A01-01.hl7': { code: 'DECODE_UNSUPPORTED_MESSAGE_TYPE', field: 'MSH-9' },
  'LAB-ORU-1.hl7': { code: 'DECODE_NO_WAVEFORM', field: 'OBX-3' },
  'MDM-T02-01.hl7': { code: 'DECODE_UNSUPPORTED_MESSAGE_TYPE', field: 'MSH-9' },
  'ORU-R01-RMGEAD.hl7': { code: 'DECODE_NO_WAVEFORM', field: 'OBX-3' },
};

for (const path of [...fixtureFiles('hl7/ecg/bad'), ...fixtureFiles('hl7/negative')]) {
  const name = basename(path);
  const expected = REFUSALS[name];
  test(`refuses ${name} with ${expected ? `${expected.code} at ${expected.field}` : 'a row in REFUSALS'}`, () => {
    assert.ok(expected, `add ${name} to REFUSALS`);
    const err = refuses(() => decodeHl7(readFileSync(path), decodeNested), expected.code, expected.field);
    assert.doesNotMatch(err.message, /Clark|EVERYMAN|EVERYWOMAN|DUCK|PROSOLV|SBJ-123|555-44-4444/, 'patient data in the message');
  });
}

test('refuses the NA fixture once a sample in OBX-5 is not a number, naming the sample', () => {
  // What oru_na_nonnumeric.hl7 meant to test, on its real data: "abc" as channel 1, sample 2.
  const text = readFileSync(fixture('hl7', 'ecg', 'bad', 'oru_na_nonnumeric.hl7'), 'latin1')
    .replace('93000&WAV^abc^Waveform data^L|1|-2^', '93000&WAV^Waveform data^L|1|-2^abc^');
  refuses(() => decodeHl7(Buffer.from(text, 'latin1'), decodeNested), 'DECODE_INVALID_VALUE', 'OBX[3]-5[1].2');
});

test('refuses the ED-in-MDM fixture as an ORU for its empty ED data', () => {
  const text = readFileSync(fixture('hl7', 'negative', 'MDM-T02-01.hl7'), 'latin1').replace('MDM^T02^MDM_T02', 'ORU^R01^ORU_R01');
  refuses(() => decodeHl7(Buffer.from(text, 'latin1'), decodeNested), 'DECODE_REQUIRED_FIELD_MISSING', 'OBX[2]-5.5');
});

test('refuses a waveform OBX whose OBX-3.3 holds text instead of a coding-system code', () => {
  const text = readFileSync(fixture('hl7', 'ecg', 'oru_r01_v23_na_12lead.hl7'), 'latin1').replace(
    '93000&WAV^Waveform data^L|1|',
    '93000&WAV^x^Waveform data^L|1|',
  );
  refuses(() => decodeHl7(Buffer.from(text, 'latin1'), decodeNested), 'DECODE_INVALID_VALUE', 'OBX[10]-3.3');
});
