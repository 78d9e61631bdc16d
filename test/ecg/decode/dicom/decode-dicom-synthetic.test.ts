import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDicom } from '../../../../src/ecg/decode/dicom/decode-dicom';
import type { EcgRecord } from '../../../../src/ecg/record';
import { GatewayError } from '../../../../src/errors/gateway-error';
import { buildWaveformDicom, patchBytes, scpLead, SOP, TS, type ChannelSpec, type GroupSpec } from './build-waveform-dicom';

const lead = (data: Float32Array | undefined): number[] => Array.from(data ?? []);
const codes = (r: EcgRecord): string[] => r.warnings.map((w) => w.code);

function refusedWith(code: string, field: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof GatewayError, `not a GatewayError: ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.field, field);
    return true;
  };
}

/** Two leads I and II with the given channel settings. */
function twoLeads(channel: ChannelSpec, group: Partial<GroupSpec> = {}): GroupSpec {
  return {
    channels: [{ source: scpLead('I'), ...channel }, { source: scpLead('II'), ...channel }],
    samples: [[0, 1, -2, 100], [3, -4, 5, -100]],
    ...group,
  };
}

test('scales raw × sensitivity × correction factor, then adds the baseline, in µV (PS3.3 C.10.9.1.4.2)', () => {
  const record = decodeDicom(buildWaveformDicom({ groups: [twoLeads({ sensitivity: '2.5', correction: '1.2', baseline: '10' })] }));
  assert.deepEqual(lead(record.leads['I']), [10, 13, 4, 310]);
  assert.deepEqual(lead(record.leads['II']), [19, -2, 25, -290]);
});

test('converts millivolt sensitivity and a millivolt baseline to µV', () => {
  // 0.00122 mV = 1.22 µV per unit; baseline −0.05 mV = −50 µV (not added to raw before scaling).
  const record = decodeDicom(buildWaveformDicom({ groups: [twoLeads({ sensitivity: '0.00122', units: ['mV', 'millivolt'], baseline: '-0.05' })] }));
  const got = lead(record.leads['I']);
  [-50, -48.78, -52.44, 72].forEach((v, i) => assert.ok(Math.abs((got[i] as number) - v) < 1e-4, `sample ${i}: ${got[i]} ≠ ${v}`));
});

test('reads DS values with spaces and exponents, and warns on a decimal comma', () => {
  const spaced = decodeDicom(buildWaveformDicom({ groups: [twoLeads({ sensitivity: ' 2.5E+0 ', baseline: '+0' })] }));
  assert.deepEqual(lead(spaced.leads['I']), [0, 2.5, -5, 250]);
  assert.deepEqual(codes(spaced), []);
  const comma = decodeDicom(buildWaveformDicom({ groups: [twoLeads({ sensitivity: '2,5' })] }));
  assert.deepEqual(lead(comma.leads['I']), [0, 2.5, -5, 250]);
  const ds = comma.warnings.filter((w) => w.code === 'DS_MALFORMED').map((w) => w.field);
  assert.deepEqual(ds, ['ChannelSensitivity (003A,0210)[1]', 'ChannelSensitivity (003A,0210)[2]']);
});

test('refuses a sensitivity that is not a number, naming the channel', () => {
  const bytes = buildWaveformDicom({ groups: [{ channels: [{ source: scpLead('I') }, { source: scpLead('II') }, { source: scpLead('V1'), sensitivity: 'abc' }], samples: [[1], [2], [3]] }] });
  assert.throws(() => decodeDicom(bytes), refusedWith('DECODE_INVALID_VALUE', 'ChannelSensitivity (003A,0210)[3]'));
});

test('refuses an ECG channel without sensitivity or without a voltage unit', () => {
  const noSensitivity = buildWaveformDicom({ groups: [twoLeads({ sensitivity: null })] });
  assert.throws(() => decodeDicom(noSensitivity), refusedWith('DECODE_REQUIRED_FIELD_MISSING', 'ChannelSensitivity (003A,0210)[1]'));
  const pressure = buildWaveformDicom({ groups: [twoLeads({ units: ['mm[Hg]', 'mmHg'] })] });
  assert.throws(() => decodeDicom(pressure), refusedWith('DECODE_INVALID_VALUE', 'ChannelSensitivityUnitsSequence (003A,0211)[1]'));
});

test('decodes 8-bit SB (signed) and UB (unsigned) samples', () => {
  const sb = decodeDicom(buildWaveformDicom({ sopClass: SOP.ambulatory, groups: [twoLeads({}, { bitsAllocated: 8, interpretation: 'SB', samples: [[-128, -1, 0, 127], [1, 2, 3, 4]] })] }));
  assert.deepEqual(lead(sb.leads['I']), [-128, -1, 0, 127]);
  const ub = decodeDicom(buildWaveformDicom({ groups: [twoLeads({ baseline: '-128' }, { bitsAllocated: 8, interpretation: 'UB', samples: [[0, 128, 255, 129], [1, 2, 3, 4]] })] }));
  assert.deepEqual(lead(ub.leads['I']), [-128, 0, 127, 1]);
});

test('decodes 16-bit US samples above 32767 as unsigned', () => {
  const record = decodeDicom(buildWaveformDicom({ groups: [twoLeads({ baseline: '-32768' }, { interpretation: 'US', samples: [[0, 32768, 65535, 40000], [1, 2, 3, 4]] })] }));
  assert.deepEqual(lead(record.leads['I']), [-32768, 0, 32767, 7232]);
});

test('sign-extends signed samples when Bits Stored < Bits Allocated, and masks unsigned ones', () => {
  // 12 bits stored in 16: 0x0FFF is −1, 0x0800 is −2048, 0xF7FF keeps only 0x7FF = 2047.
  const signed = decodeDicom(buildWaveformDicom({ groups: [twoLeads({ bitsStored: 12 }, { samples: [[0x0fff, 0x0800, 0x07ff, 0xf7ff], [1, 2, 3, 4]] })] }));
  assert.deepEqual(lead(signed.leads['I']), [-1, -2048, 2047, 2047]);
  const unsigned = decodeDicom(buildWaveformDicom({ groups: [twoLeads({ bitsStored: 12 }, { interpretation: 'US', samples: [[0xffff, 0x1001, 5, 0], [1, 2, 3, 4]] })] }));
  assert.deepEqual(lead(unsigned.leads['I']), [4095, 1, 5, 0]);
});

test('refuses Bits Stored above Bits Allocated, naming the channel', () => {
  const bytes = buildWaveformDicom({ groups: [{ channels: [{ source: scpLead('I') }, { source: scpLead('II'), bitsStored: 17 }], samples: [[1], [2]] }] });
  assert.throws(() => decodeDicom(bytes), refusedWith('DECODE_INVALID_VALUE', 'WaveformBitsStored (003A,021A)[2]'));
});

test('sets samples equal to the Waveform Padding Value to 0 µV and counts them in a warning', () => {
  const record = decodeDicom(buildWaveformDicom({ groups: [twoLeads({ sensitivity: '2', baseline: '5' }, { padding: -32768, samples: [[10, -32768, 20, -32768], [-32768, 1, 1, 1]] })] }));
  assert.deepEqual(lead(record.leads['I']), [25, 0, 45, 0]);
  assert.deepEqual(lead(record.leads['II']), [0, 7, 7, 7]);
  const padding = record.warnings.find((w) => w.code === 'PADDING_SAMPLES');
  assert.equal(padding?.field, 'WaveformPaddingValue (5400,100A)[1]');
  assert.match(padding?.message ?? '', /^3 samples/);
});

test('ignores a padding value of 0 in signed samples, with a warning, instead of erasing 0 µV', () => {
  const record = decodeDicom(buildWaveformDicom({ groups: [twoLeads({ baseline: '5' }, { padding: 0, samples: [[0, 1, 0, 2], [0, 0, 0, 0]] })] }));
  assert.deepEqual(lead(record.leads['I']), [5, 6, 5, 7]);
  assert.deepEqual(codes(record), ['PADDING_VALUE_IGNORED']);
});

test('chooses the group labelled RHYTHM even when it is not the first, and never mixes groups', () => {
  const median: GroupSpec = { label: 'MEDIAN BEAT', originality: 'DERIVED', channels: [{ source: scpLead('I') }, { source: scpLead('II') }], samples: [[9, 9, 9, 9, 9, 9], [9, 9, 9, 9, 9, 9]] };
  const rhythm: GroupSpec = { label: 'RHYTHM', samplingFrequency: '250', channels: [{ source: scpLead('I') }, { source: scpLead('II') }], samples: [[1, 2, 3], [4, 5, 6]] };
  const record = decodeDicom(buildWaveformDicom({ groups: [median, rhythm] }));
  assert.equal(record.sampleRateHz, 250);
  assert.deepEqual(lead(record.leads['I']), [1, 2, 3]);
  assert.deepEqual(codes(record), []);
});

test('without labels prefers the ORIGINAL group, then the one with most samples × ECG channels', () => {
  const derived: GroupSpec = { originality: 'DERIVED', channels: [{ source: scpLead('I') }, { source: scpLead('II') }], samples: [[9, 9, 9, 9, 9, 9, 9], [9, 9, 9, 9, 9, 9, 9]] };
  const short: GroupSpec = { channels: [{ source: scpLead('I') }, { source: scpLead('II') }], samples: [[7], [7]] };
  const long: GroupSpec = { channels: [{ source: scpLead('I') }, { source: scpLead('II') }], samples: [[1, 2, 3], [4, 5, 6]] };
  const record = decodeDicom(buildWaveformDicom({ groups: [derived, short, long] }));
  assert.deepEqual(lead(record.leads['I']), [1, 2, 3]);
  const w = record.warnings.find((x) => x.code === 'MULTIPLEX_GROUP_UNLABELLED');
  assert.match(w?.message ?? '', /group 3 of 3/);
});

test('eight stored leads give twelve, with III, aVR, aVL, aVF flagged as derived', () => {
  const names = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
  const record = decodeDicom(buildWaveformDicom({ groups: [{ label: 'RHYTHM', channels: names.map((n) => ({ source: scpLead(n) })), samples: names.map((_, i) => [10 * i, 20, 30]) }] }));
  assert.deepEqual(record.derivedLeads, ['III', 'aVR', 'aVL', 'aVF']);
  assert.equal(Object.keys(record.leads).length, 12);
  assert.deepEqual(lead(record.leads['III']), [10, 0, 0]); // II − I
});

test('maps MDC lead codes and falls back to the Code Meaning or Channel Label', () => {
  const record = decodeDicom(buildWaveformDicom({
    groups: [{
      channels: [
        { source: ['2:1', 'MDC', 'Lead I'] },
        { source: ['99X', '99PRIVATE', 'Lead II (Einthoven)'] },
        { label: 'V1' },
        { source: ['2:65', 'MDC', '-aVR'] },
      ],
      samples: [[1], [2], [3], [4]],
    }],
  }));
  assert.deepEqual(Object.keys(record.leads), ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', '-aVR']);
  assert.deepEqual(lead(record.leads['-aVR']), [4]);
  assert.deepEqual(record.derivedLeads, ['III', 'aVR', 'aVL', 'aVF']);
});

test('skips the pressure channel of a hemodynamic object and keeps its ECG leads', () => {
  const record = decodeDicom(buildWaveformDicom({
    sopClass: SOP.hemodynamic,
    groups: [{
      channels: [
        { source: scpLead('I') },
        { source: ['G-7293', 'SRT', 'Left ventricle pressure'], units: ['mm[Hg]', 'mmHg'] },
        { source: scpLead('II') },
        { source: ['X1', '99ICE', 'His bundle electrogram'] },
      ],
      samples: [[1, 1], [120, 80], [2, 2], [5, 5]],
    }],
  }));
  assert.deepEqual(lead(record.leads['II']), [2, 2]);
  assert.equal(Object.keys(record.leads).length, 6);
  const skipped = record.warnings.filter((w) => w.code === 'NON_ECG_CHANNEL_SKIPPED').map((w) => w.field);
  assert.deepEqual(skipped, ['ChannelSourceSequence (003A,0208)[2]', 'ChannelSourceSequence (003A,0208)[4]']);
});

test('reads Implicit VR and Explicit VR Big Endian to the same leads as Explicit VR Little Endian', () => {
  const spec = { groups: [twoLeads({ sensitivity: '2.5', baseline: '1' }, { samples: [[0, 258, -2, 32767], [3, -4, 5, -32768]] })] };
  const le = decodeDicom(buildWaveformDicom(spec));
  for (const transferSyntax of [TS.implicitLE, TS.explicitBE]) {
    const other = decodeDicom(buildWaveformDicom({ ...spec, transferSyntax }));
    assert.deepEqual(other.leads, le.leads, transferSyntax);
    assert.equal(other.source.encoding, transferSyntax);
  }
  const be8 = decodeDicom(buildWaveformDicom({ transferSyntax: TS.explicitBE, groups: [twoLeads({}, { bitsAllocated: 8, interpretation: 'SB', samples: [[1, -2, 3], [4, 5, -6]] })] }));
  assert.deepEqual(lead(be8.leads['I']), [1, -2, 3]);
});

test('refuses µ-law samples and 32-bit samples as unsupported encodings, naming the attribute', () => {
  const mulaw = buildWaveformDicom({ groups: [twoLeads({}, { bitsAllocated: 8, interpretation: 'MB', samples: [[1, 2], [3, 4]] })] });
  assert.throws(() => decodeDicom(mulaw), refusedWith('DECODE_UNSUPPORTED_ENCODING', 'WaveformSampleInterpretation (5400,1006)[1]'));
  const mismatch = buildWaveformDicom({ groups: [twoLeads({}, { bitsAllocated: 8, interpretation: 'SS', samples: [[1, 2], [3, 4]] })] });
  assert.throws(() => decodeDicom(mismatch), refusedWith('DECODE_INVALID_VALUE', 'WaveformSampleInterpretation (5400,1006)[1]'));
});

test('refuses an ECG in a compressed transfer syntax as an unsupported encoding', () => {
  const bytes = buildWaveformDicom({ transferSyntax: TS.jpegBaseline, groups: [twoLeads({})] });
  assert.throws(() => decodeDicom(bytes), refusedWith('DECODE_UNSUPPORTED_ENCODING', 'TransferSyntaxUID (0002,0010)'));
});

test('refuses a non-waveform SOP class and a group whose data is shorter than channels × samples', () => {
  assert.throws(() => decodeDicom(buildWaveformDicom({ sopClass: SOP.ct, groups: [twoLeads({})] })), refusedWith('DECODE_NOT_AN_ECG', 'SOPClassUID (0008,0016)'));
  const short = buildWaveformDicom({ groups: [twoLeads({}, { declaredChannels: 3, channels: [{ source: scpLead('I') }, { source: scpLead('II') }, { source: scpLead('V1') }] })] });
  assert.throws(() => decodeDicom(short), refusedWith('DECODE_WAVEFORM_INCONSISTENT', 'WaveformData (5400,1010)[1]'));
  const counts = buildWaveformDicom({ groups: [twoLeads({}, { declaredChannels: 3 })] });
  assert.throws(() => decodeDicom(counts), refusedWith('DECODE_WAVEFORM_INCONSISTENT', 'ChannelDefinitionSequence (003A,0200)[1]'));
});

test('decodes names in ISO_IR 100 (Latin-1) and ISO_IR 192 (UTF-8)', () => {
  const latin1 = patchBytes(
    buildWaveformDicom({ attributes: { SpecificCharacterSet: 'ISO_IR 100', PatientName: 'M?ller^Jos?' }, groups: [twoLeads({})] }),
    'M?ller^Jos?',
    [0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x5e, 0x4a, 0x6f, 0x73, 0xe9],
  );
  assert.deepEqual(decodeDicom(latin1).patient, { id: 'TEST-1', family: 'Müller', given: 'José' });
  const utf8 = patchBytes(
    buildWaveformDicom({ attributes: { SpecificCharacterSet: 'ISO_IR 192', PatientName: 'M??ller^Zo??' }, groups: [twoLeads({})] }),
    'M??ller^Zo??',
    [0x4d, 0xc3, 0xbc, 0x6c, 0x6c, 0x65, 0x72, 0x5e, 0x5a, 0x6f, 0xc3, 0xab],
  );
  assert.equal(decodeDicom(utf8).patient.family, 'Müller');
  assert.equal(decodeDicom(utf8).patient.given, 'Zoë');
});

test('carries identifiers, equipment and order numbers, and warns on a UID with a trailing dot', () => {
  const record = decodeDicom(buildWaveformDicom({
    attributes: {
      PatientName: 'Doe^Jane^Q',
      PatientID: 'MRN-9',
      IssuerOfPatientID: 'HOSP',
      PatientBirthDate: '19800229',
      PatientSex: 'F',
      AccessionNumber: 'ACC-1',
      PlacerOrderNumberImagingServiceRequest: 'PL-1',
      FillerOrderNumberImagingServiceRequest: 'FI-1',
      StudyInstanceUID: '1.2.3.',
      Manufacturer: 'ACME',
      ManufacturerModelName: 'Cart 9',
      DeviceSerialNumber: 'SN1',
      SoftwareVersions: '1.0\\2.0',
    },
    groups: [twoLeads({})],
  }));
  assert.deepEqual(record.patient, { id: 'MRN-9', issuer: 'HOSP', family: 'Doe', given: 'Jane Q', birthDate: '1980-02-29', sex: 'F' });
  assert.deepEqual(record.order, {
    accessionNumber: 'ACC-1',
    placerOrderNumber: 'PL-1',
    fillerOrderNumber: 'FI-1',
    studyInstanceUid: '1.2.3.',
    seriesInstanceUid: '1.2.826.0.1.3680043.10.1.3',
    sopInstanceUid: '1.2.826.0.1.3680043.10.1.1',
    sopClassUid: SOP.twelveLead,
  });
  assert.deepEqual(record.source, { format: 'dicom', encoding: TS.explicitLE, manufacturer: 'ACME', deviceModel: 'Cart 9', deviceSerial: 'SN1', softwareVersion: '1.0 2.0' });
  assert.deepEqual(record.warnings.map((w) => [w.code, w.field]), [['UID_MALFORMED', 'StudyInstanceUID (0020,000D)']]);
});

test('adds the Multiplex Group Time Offset to the Acquisition DateTime, keeping its UTC offset', () => {
  const record = decodeDicom(buildWaveformDicom({ attributes: { AcquisitionDateTime: '20240229235959.5+0100' }, groups: [twoLeads({}, { timeOffset: '750' })] }));
  assert.equal(record.acquisitionTime, '2024-03-01T00:00:00.250+01:00');
  const dateAndTime = decodeDicom(buildWaveformDicom({ attributes: { AcquisitionDateTime: undefined, ContentDate: '20240102', ContentTime: '030405' }, groups: [twoLeads({})] }));
  assert.equal(dateAndTime.acquisitionTime, '2024-01-02T03:04:05');
});

test('maps MDC-coded measurements to LOINC, converting seconds to ms', () => {
  const record = decodeDicom(buildWaveformDicom({
    groups: [twoLeads({})],
    annotations: [
      { concept: ['2:15872', 'MDC', 'PR interval'], value: '0.162', unit: 's' },
      { concept: ['2:16156', 'MDC', 'QRS duration'], value: '88', unit: 'ms' },
      { concept: ['2:15880', 'MDC', 'QTc Bazett'], value: '410', unit: 'ms' },
      { concept: ['2:16132', 'MDC', 'QRS axis'], value: '-30', unit: 'deg' },
      { concept: ['147842', 'MDC', 'Heart rate'], value: '72', unit: '/min' },
      { concept: ['2:16160', 'MDC', 'QT interval'], value: '380', unit: 'ms', channels: [1, 3] },
      { concept: ['2:16160', 'MDC', 'QT interval'], value: '390', unit: 'ms' },
    ],
  }));
  const values = Object.fromEntries(Object.entries(record.measurements).map(([k, m]) => [k, [m.value, m.unit, m.sourceCode]]));
  assert.deepEqual(values, {
    '8625-6': [162, 'ms', '2:15872'],
    '8633-0': [88, 'ms', '2:16156'],
    '8636-3': [410, 'ms', '2:15880'],
    '8632-2': [-30, 'deg', '2:16132'],
    '8867-4': [72, '/min', '147842'],
    // the whole-group QT replaces the one measured on channel 3
    '8634-8': [390, 'ms', '2:16160'],
  });
  assert.deepEqual(codes(record), []);
});

test('reads a bare data set without preamble or meta header as Implicit VR Little Endian', () => {
  const full = buildWaveformDicom({ transferSyntax: TS.implicitLE, groups: [twoLeads({ sensitivity: '3' })] });
  const metaLength = new DataView(full.buffer, full.byteOffset).getUint32(140, true);
  const bare = full.subarray(144 + metaLength);
  const record = decodeDicom(bare);
  assert.deepEqual(lead(record.leads['I']), [0, 3, -6, 300]);
  assert.deepEqual(codes(record), ['PART10_HEADER_MISSING']);
});
