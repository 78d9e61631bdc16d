import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeEcg } from '../../../src/ecg/decode/decode-ecg';
import { DecodeError } from '../../../src/ecg/decode/decode-error';
import { STANDARD_LEADS } from '../../../src/ecg/lead-name';
import type { EcgRecord } from '../../../src/ecg/record';
import { fixture } from '../../helpers/paths';

// The ECGToolkit "Clark" recording (SOURCES.md): rhythm group of the DICOM, the aECG rhythm series
// (stored I, II, V1–V6, III, aVR, aVL, aVF) and both HL7 layouts built from the same samples.
const SAME_RECORDING = [
  'dicom/ecgtoolkit_Example.dcm',
  'aecg/hl7_example_aecg.xml',
  'hl7/ecg/oru_r01_v25_ma_12lead.hl7',
  'hl7/ecg/oru_r01_v23_na_12lead.hl7',
  'hl7/ecg/oru_r01_v25_ed_dicom.hl7',
  'hl7/ecg/oru_r01_v25_ed_aecg.hl7',
];

function decodeFixture(path: string, skip: (reason: string) => void): EcgRecord | undefined {
  try {
    return decodeEcg({ bytes: readFileSync(fixture(path)) });
  } catch (err: unknown) {
    // The decoders are written side by side; a placeholder says so, anything else is a failure.
    if (err instanceof DecodeError && err.message.includes('decoder not implemented yet')) {
      skip(`${path}: ${err.message}`);
      return undefined;
    }
    throw err;
  }
}

test('the same recording as DICOM, aECG and HL7 MA/NA/ED gives the same 12 leads, every sample to 1e-3 µV', (t) => {
  const records = SAME_RECORDING.map((path) => [path, decodeFixture(path, (reason) => t.skip(reason))] as const);
  if (records.some(([, r]) => r === undefined)) return;
  const [refPath, ref] = records[0]!;
  assert.deepEqual(Object.keys(ref!.leads), [...STANDARD_LEADS], `${refPath} leads`);
  assert.equal(ref!.samplesPerLead, 5000);
  for (const [path, record] of records.slice(1)) {
    assert.equal(record!.sampleRateHz, ref!.sampleRateHz, `${path} rate`);
    assert.equal(record!.samplesPerLead, ref!.samplesPerLead, `${path} samples`);
    assert.deepEqual(Object.keys(record!.leads).sort(), Object.keys(ref!.leads).sort(), `${path} leads`);
    for (const lead of STANDARD_LEADS) {
      const a = ref!.leads[lead]!;
      const b = record!.leads[lead]!;
      let worst = 0;
      let at = -1;
      for (let i = 0; i < a.length; i++) {
        const d = Math.abs(a[i]! - b[i]!);
        if (!(d <= worst)) [worst, at] = [d, i];
      }
      assert.ok(worst <= 1e-3, `${path} lead ${lead} differs from ${refPath} by ${worst} µV at sample ${at}`);
    }
  }
});

test('the HL7 messages carry the patient the DICOM object names', (t) => {
  const dicom = decodeFixture('dicom/ecgtoolkit_Example.dcm', (reason) => t.skip(reason));
  if (!dicom) return;
  for (const path of SAME_RECORDING.filter((p) => p.startsWith('hl7/'))) {
    const record = decodeFixture(path, (reason) => t.skip(reason));
    if (!record) return;
    assert.equal(record.patient.id, dicom.patient.id, path);
    assert.equal(record.patient.family, dicom.patient.family, path);
  }
});
