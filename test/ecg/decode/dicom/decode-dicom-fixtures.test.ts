import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import { decodeDicom } from '../../../../src/ecg/decode/dicom/decode-dicom';
import { STANDARD_LEADS } from '../../../../src/ecg/lead-name';
import type { EcgRecord } from '../../../../src/ecg/record';
import { GatewayError } from '../../../../src/errors/gateway-error';
import { GOLDEN_ECG } from '../../../helpers/golden-ecg-values';
import { fixture, fixtureFiles } from '../../../helpers/paths';

const read = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
const decodeFixture = (name: string): EcgRecord => decodeDicom(read(fixture('dicom', name)));

// What SOURCES.md says about each fixture; a new fixture without an entry fails the loop below.
const EXPECTED: Readonly<Record<string, { rate: number; samples: number; sopClass: string; encoding: string }>> = {
  'waveform_ecg.dcm': { rate: 1000, samples: 10000, sopClass: '1.2.840.10008.5.1.4.1.1.9.1.1', encoding: '1.2.840.10008.1.2.1' },
  'ecgtoolkit_Example.dcm': { rate: 500, samples: 5000, sopClass: '1.2.840.10008.5.1.4.1.1.9.1.1', encoding: '1.2.840.10008.1.2' },
  'ge_marquette_hemodynamic_test_ecg.dcm': { rate: 240, samples: 2400, sopClass: '1.2.840.10008.5.1.4.1.1.9.2.1', encoding: '1.2.840.10008.1.2.1' },
  'wave_dfl.dcm': { rate: 240, samples: 2400, sopClass: '1.2.840.10008.5.1.4.1.1.9.2.1', encoding: '1.2.840.10008.1.2.1.99' },
};

for (const path of fixtureFiles('dicom')) {
  const name = basename(path);
  test(`decodes ${name} into 12 leads at the rate and length of its rhythm group`, () => {
    const expected = EXPECTED[name];
    assert.ok(expected, `no expectation for fixture ${name}`);
    const record = decodeDicom(read(path));
    assert.equal(record.format, 'dicom');
    assert.deepEqual(Object.keys(record.leads), [...STANDARD_LEADS]);
    assert.deepEqual(record.derivedLeads, []);
    assert.equal(record.sampleRateHz, expected.rate);
    assert.equal(record.samplesPerLead, expected.samples);
    for (const [lead, data] of Object.entries(record.leads)) {
      assert.equal(data.length, expected.samples, lead);
      assert.ok(data.every(Number.isFinite), `${lead} has non-finite samples`);
      assert.ok(data.some((v) => v !== 0), `${lead} is flat`);
    }
    assert.equal(record.order.sopClassUid, expected.sopClass);
    assert.equal(record.source.encoding, expected.encoding);
    for (const w of record.warnings) assert.match(w.field, /\([0-9A-F]{4},[0-9A-F]{4}\)|PS3\./, `warning ${w.code} names no DICOM field`);
  });
}

test('recognises "Lead I (Einthoven)" and picks the RHYTHM group, not the 1200-sample median beat', () => {
  const record = decodeFixture('waveform_ecg.dcm');
  // Raw 0x0050 = 80 at 1.25 µV, the first sample of channel 1 (dcmdump).
  assert.equal(record.leads['I']?.[0], 100);
  assert.equal(record.samplesPerLead, 10000);
  assert.equal(record.source.manufacturer, 'Mortara Instrument, Inc.');
  assert.equal(record.acquisitionTime, '2013-01-25T10:59:19');
  assert.deepEqual(record.measurements['8625-6'], { value: 161, unit: 'ms', sourceCode: '5.13.5-7' });
  assert.deepEqual(record.warnings, []);
});

test('the deflated GE object decodes to the same leads as its Explicit VR LE twin', () => {
  const deflated = decodeFixture('wave_dfl.dcm');
  const plain = decodeFixture('ge_marquette_hemodynamic_test_ecg.dcm');
  for (const lead of STANDARD_LEADS) assert.deepEqual(deflated.leads[lead], plain.leads[lead], lead);
  assert.deepEqual(deflated.order, plain.order);
  assert.deepEqual(deflated.patient, plain.patient);
});

test('reads the GE heart rate of 69 /min (LOINC-coded, UCUM {H.B.}/min) and mV sensitivity', () => {
  const record = decodeFixture('ge_marquette_hemodynamic_test_ecg.dcm');
  assert.deepEqual(record.measurements, { '8867-4': { value: 69, unit: '/min', sourceCode: '8867-4' } });
  // 0.00122 mV per unit = 1.22 µV: every sample is a whole multiple of it.
  const lead = record.leads['V1'] as Float32Array;
  for (let i = 0; i < 50; i++) {
    const units = (lead[i] as number) / 1.22;
    assert.ok(Math.abs(units - Math.round(units)) < 1e-3, `sample ${i} is not a multiple of 1.22 µV`);
  }
  assert.deepEqual(record.patient, { id: '123-654', family: 'Patient', given: 'Test', birthDate: '1944-01-02', sex: 'M' });
  assert.equal(record.order.accessionNumber, '0001');
  assert.equal(record.acquisitionTime, '1999-12-23T10:07:09');
  assert.equal(record.source.softwareVersion, '17A');
});

test('reads the ECGToolkit measurements (PR, QRS, QT, QTc, axes) and flags its axes written in "ms"', () => {
  const record = decodeFixture('ecgtoolkit_Example.dcm');
  const values = Object.fromEntries(Object.entries(record.measurements).map(([k, m]) => [k, [m.value, m.unit]]));
  assert.deepEqual(values, {
    '8625-6': [148, 'ms'],
    '8633-0': [120, 'ms'],
    '8634-8': [420, 'ms'],
    '8636-3': [443, 'ms'],
    '8626-4': [44, 'deg'],
    '8632-2': [-61, 'deg'],
    '8638-9': [86, 'deg'],
  });
  const unitWarnings = record.warnings.filter((w) => w.code === 'MEASUREMENT_UNIT_MISMATCH').map((w) => w.field);
  assert.deepEqual(unitWarnings, [
    'MeasurementUnitsCodeSequence (0040,08EA)[5]',
    'MeasurementUnitsCodeSequence (0040,08EA)[6]',
    'MeasurementUnitsCodeSequence (0040,08EA)[7]',
  ]);
});

test('accepts the ECGToolkit UIDs with empty components, warning per field without the value', () => {
  const record = decodeFixture('ecgtoolkit_Example.dcm');
  assert.equal(record.order.studyInstanceUid, '1.2.826.0.1.34471.2.44.6.20021122091000.');
  const uidWarnings = record.warnings.filter((w) => w.code === 'UID_MALFORMED');
  assert.deepEqual(uidWarnings.map((w) => w.field).sort(), ['SOPInstanceUID (0008,0018)', 'SeriesInstanceUID (0020,000E)', 'StudyInstanceUID (0020,000D)']);
  for (const w of record.warnings) assert.ok(!w.message.includes('34471'), 'a warning repeats the UID');
  // Its padding value is 0, the encoded zero of SS samples: ignored rather than erasing 0 µV samples.
  assert.ok(record.warnings.some((w) => w.code === 'PADDING_VALUE_IGNORED' && w.field === 'WaveformPaddingValue (5400,100A)[1]'));
  assert.deepEqual(record.patient, { id: 'SBJ-123', family: 'Clark', birthDate: '1953-05-08', sex: 'M' });
  assert.equal(record.acquisitionTime, '2002-11-22T09:10:00');
});

test('ECGToolkit DICOM samples equal the same recording in the HL7 ED fixture (first 8, 1e-3 µV)', () => {
  const expected = GOLDEN_ECG['oru_r01_v25_ed_dicom.hl7'];
  assert.ok(expected?.leads, 'expected.json has leads for oru_r01_v25_ed_dicom.hl7');
  const record = decodeFixture('ecgtoolkit_Example.dcm');
  assert.equal(record.sampleRateHz, expected.sampleRateHz);
  assert.equal(record.samplesPerLead, expected.samplesPerLead);
  assert.deepEqual(Object.keys(expected.leads).sort(), Object.keys(record.leads).sort());
  for (const [lead, first] of Object.entries(expected.leads)) {
    const got = Array.from((record.leads[lead] as Float32Array).subarray(0, 8));
    first.forEach((v, i) => assert.ok(Math.abs((got[i] as number) - v) <= 1e-3, `${lead}[${i}] = ${got[i]}, expected ${v}`));
  }
});

for (const path of fixtureFiles('dicom/negative')) {
  test(`refuses ${basename(path)} as not an ECG, naming the SOP Class UID`, () => {
    assert.throws(
      () => decodeDicom(read(path)),
      (err: unknown) => err instanceof GatewayError && err.code === 'DECODE_NOT_AN_ECG' && err.field === 'SOPClassUID (0008,0016)',
    );
  });
}

/** Offset of the rhythm group's Waveform Data value: after the first (5400,1010) OW header. */
function waveformDataOffset(bytes: Uint8Array): number {
  for (let i = 0; i + 12 <= bytes.length; i++) {
    if (bytes[i] === 0x00 && bytes[i + 1] === 0x54 && bytes[i + 2] === 0x10 && bytes[i + 3] === 0x10) return i + (bytes[i + 4] === 0x4f ? 12 : 8);
  }
  throw new Error('no Waveform Data');
}

for (const name of ['waveform_ecg.dcm', 'ecgtoolkit_Example.dcm', 'ge_marquette_hemodynamic_test_ecg.dcm']) {
  test(`a copy of ${name} cut inside the Waveform Data is refused as truncated, naming the element`, () => {
    const bytes = read(fixture('dicom', name));
    const cut = bytes.subarray(0, waveformDataOffset(bytes) + 1000);
    assert.throws(
      () => decodeDicom(cut),
      (err: unknown) => err instanceof GatewayError && err.code === 'DECODE_TRUNCATED' && err.field === 'WaveformData (5400,1010)' && /ends at byte/.test(err.message),
    );
  });
}

test('a deflated object cut short is refused as truncated, not a crash', () => {
  const bytes = read(fixture('dicom', 'wave_dfl.dcm'));
  assert.throws(
    () => decodeDicom(bytes.subarray(0, Math.floor(bytes.length / 2))),
    (err: unknown) => err instanceof GatewayError && err.code === 'DECODE_TRUNCATED',
  );
});

test('every cut of a real file gives a decode result or a decode error, never a TypeError or RangeError', () => {
  for (const name of ['waveform_ecg.dcm', 'ecgtoolkit_Example.dcm', 'wave_dfl.dcm']) {
    const bytes = read(fixture('dicom', name));
    for (let cut = 0; cut < bytes.length; cut += cut < 8000 ? 7 : 997) {
      try {
        decodeDicom(bytes.subarray(0, cut)); // a cut between two top-level elements after the waveform may decode
      } catch (err: unknown) {
        assert.ok(err instanceof GatewayError && err.code.startsWith('DECODE_'), `${name} cut at ${cut}: ${String(err)}`);
      }
    }
  }
});

test('corrupted bytes anywhere in a real file give a decode result or a decode error, never a crash', () => {
  let seed = 42;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648; // deterministic LCG: the same corruptions every run
    return seed % n;
  };
  for (const name of ['waveform_ecg.dcm', 'ecgtoolkit_Example.dcm', 'wave_dfl.dcm']) {
    const original = read(fixture('dicom', name));
    for (let round = 0; round < 150; round++) {
      const bytes = original.slice();
      // Mostly the first 20 kB, where headers, lengths and sequences are; some anywhere.
      for (let k = 0; k < 4; k++) bytes[random(round % 3 === 0 ? bytes.length : Math.min(bytes.length, 20000))] = random(256);
      try {
        decodeDicom(bytes);
      } catch (err: unknown) {
        assert.ok(err instanceof GatewayError && err.code.startsWith('DECODE_'), `${name} round ${round}: ${String(err)}`);
      }
    }
  }
});
