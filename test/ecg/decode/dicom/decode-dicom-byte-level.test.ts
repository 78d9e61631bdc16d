import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as dicomParser from 'dicom-parser';
import { callDicomParser, type ParseTarget } from '../../../../src/ecg/decode/dicom/call-dicom-parser';
import { decodeDicom } from '../../../../src/ecg/decode/dicom/decode-dicom';
import type { EcgRecord } from '../../../../src/ecg/record';
import { GatewayError } from '../../../../src/errors/gateway-error';
import { buildWaveformDicom, rewriteMeta, scpLead, TS, type GroupSpec } from './build-waveform-dicom';

const GROUP: GroupSpec = { channels: [{ source: scpLead('I') }, { source: scpLead('II') }], samples: [[0, 1, -2, 100], [3, -4, 5, -100]] };
const codes = (r: EcgRecord): string[] => r.warnings.map((w) => w.code);

function refusedWith(code: string, field: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof GatewayError, `not a GatewayError: ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.field, field);
    return true;
  };
}

/** The first item's elements of the Waveform Sequence, as dicom-parser reads a file built here. */
function firstGroup(bytes: Uint8Array): Record<string, dicomParser.Element> {
  const elements = dicomParser.parseDicom(bytes).elements['x54000100']?.items?.[0]?.dataSet?.elements;
  assert.ok(elements);
  return elements;
}

test('reads a file written without preamble and DICM prefix, warning PART10_PREAMBLE_MISSING', () => {
  const bytes = buildWaveformDicom({ groups: [GROUP] });
  const record = decodeDicom(rewriteMeta(bytes, { dropPreamble: true }));
  assert.deepEqual(record.leads, decodeDicom(bytes).leads);
  assert.deepEqual(codes(record), ['PART10_PREAMBLE_MISSING']);
});

test('reads a meta group written in Implicit VR, warning META_IMPLICIT_VR, with the data set in its declared syntax', () => {
  for (const transferSyntax of [TS.explicitLE, TS.implicitLE, TS.explicitBE]) {
    const bytes = buildWaveformDicom({ transferSyntax, groups: [GROUP] });
    const record = decodeDicom(rewriteMeta(bytes, { implicitVr: true }));
    assert.deepEqual(record.leads, decodeDicom(bytes).leads, transferSyntax);
    assert.equal(record.source.encoding, transferSyntax);
    assert.deepEqual(codes(record), ['META_IMPLICIT_VR']);
  }
});

test('without a Transfer Syntax UID reads the VR style from the data set, warning TRANSFER_SYNTAX_MISSING', () => {
  for (const transferSyntax of [TS.explicitLE, TS.implicitLE]) {
    const bytes = buildWaveformDicom({ transferSyntax, groups: [GROUP] });
    const record = decodeDicom(rewriteMeta(bytes, { transferSyntax: null }));
    assert.deepEqual(record.leads, decodeDicom(bytes).leads, transferSyntax);
    assert.equal(record.source.encoding, transferSyntax);
    assert.deepEqual(codes(record), ['TRANSFER_SYNTAX_MISSING']);
  }
});

test('reads an Implicit VR data set declared Explicit VR Little Endian, warning TRANSFER_SYNTAX_MISMATCH', () => {
  const bytes = buildWaveformDicom({ transferSyntax: TS.implicitLE, groups: [GROUP] });
  const record = decodeDicom(rewriteMeta(bytes, { transferSyntax: TS.explicitLE }));
  assert.deepEqual(record.leads, decodeDicom(bytes).leads);
  assert.deepEqual(codes(record), ['TRANSFER_SYNTAX_MISMATCH']);
});

test('refuses a sequence holding something other than an Item as malformed, naming the sequence', () => {
  const bytes = buildWaveformDicom({ groups: [GROUP] });
  const at = dicomParser.parseDicom(bytes).elements['x54000100']?.dataOffset ?? 0;
  const broken = bytes.slice();
  broken.set([0x08, 0x00, 0x60, 0x00], at); // PS3.5 §7.5: an Item (FFFE,E000) belongs here, not (0008,0060)
  assert.throws(() => decodeDicom(broken), refusedWith('DECODE_MALFORMED', 'WaveformSequence (5400,0100)'));
});

test('a file cut between two elements of an undefined-length item is refused as truncated, naming the open sequence', () => {
  const bytes = buildWaveformDicom({ groups: [GROUP] });
  const data = firstGroup(bytes)['x54001010'];
  assert.ok(data);
  const cut = bytes.subarray(0, data.dataOffset - 12); // just before the Waveform Data header (Explicit VR OW: 12 bytes)
  assert.throws(() => decodeDicom(cut), refusedWith('DECODE_TRUNCATED', 'WaveformSequence (5400,0100)'));
});

test('a file cut inside an element header is refused as truncated, naming that element', () => {
  const bytes = buildWaveformDicom({ groups: [GROUP] });
  const data = firstGroup(bytes)['x54001010'];
  assert.ok(data);
  assert.throws(() => decodeDicom(bytes.subarray(0, data.dataOffset - 4)), refusedWith('DECODE_TRUNCATED', 'WaveformData (5400,1010)'));
});

test('sequences nested 100,000 deep are refused with a decode error, not a stack overflow', () => {
  const bytes = buildWaveformDicom({ groups: [GROUP] });
  // (0040,B020) SQ of undefined length holding an Item of undefined length, again and again.
  const level = [0x40, 0x00, 0x20, 0xb0, 0x53, 0x51, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff];
  const hostile = new Uint8Array(bytes.length + level.length * 100_000);
  hostile.set(bytes);
  for (let at = bytes.length; at < hostile.length; at += level.length) hostile.set(level, at);
  assert.throws(
    () => decodeDicom(hostile),
    (err: unknown) => err instanceof GatewayError && err.code === 'DECODE_MALFORMED' && err.field === 'WaveformAnnotationSequence (0040,B020)',
  );
});

const DATA_SET: ParseTarget = { field: 'DICOM data set', explicitVr: true, start: 132 };

test('callDicomParser turns what dicom-parser throws (string, Error, { exception, dataSet }) into a DecodeError', () => {
  const bytes = buildWaveformDicom({ groups: [GROUP] });
  // A string: 'dicomParser.readPart10Header: DICM prefix not found at location 132 ...'.
  assert.throws(() => callDicomParser(DATA_SET, () => dicomParser.parseDicom(new Uint8Array(200))), refusedWith('DECODE_MALFORMED', 'DICOM data set'));
  // An Error: 'dicomParser.parseDicom: missing required meta header attribute 0002,0010'.
  const noSyntax = rewriteMeta(bytes, { transferSyntax: null });
  assert.throws(() => callDicomParser(DATA_SET, () => dicomParser.parseDicom(noSyntax)), refusedWith('DECODE_MALFORMED', 'DICOM data set'));
  // { exception: '... buffer overrun', dataSet }: the partial data set names the element the data ends in.
  const data = firstGroup(bytes)['x54001010'];
  assert.ok(data);
  const cut = bytes.subarray(0, data.dataOffset + 3);
  assert.throws(
    () => callDicomParser(DATA_SET, () => dicomParser.parseDicom(cut)),
    (err: unknown) => refusedWith('DECODE_TRUNCATED', 'WaveformData (5400,1010)')(err) && err instanceof Error && /ends at byte/.test(err.message),
  );
});

test('callDicomParser refuses a data set dicom-parser returns with a value longer than the data', () => {
  const bytes = buildWaveformDicom({ transferSyntax: TS.implicitLE, groups: [GROUP] });
  const data = firstGroup(bytes)['x54001010'];
  assert.ok(data);
  // Implicit VR: dicom-parser skips the cut Waveform Data by its declared length and returns normally.
  const cut = bytes.subarray(0, data.dataOffset + 3);
  assert.throws(() => callDicomParser({ ...DATA_SET, explicitVr: false }, () => dicomParser.parseDicom(cut)), refusedWith('DECODE_TRUNCATED', 'WaveformData (5400,1010)'));
});
