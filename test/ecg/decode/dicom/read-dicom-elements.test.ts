import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import * as dicomParser from 'dicom-parser';
import type { DicomDataset } from '../../../../src/ecg/decode/dicom/dicom-dataset';
import { readDicomDataset } from '../../../../src/ecg/decode/dicom/read-dicom-dataset';
import { readDicomElements } from '../../../../src/ecg/decode/dicom/read-dicom-elements';
import { readPart10Header } from '../../../../src/ecg/decode/dicom/read-part10-header';
import type { DecodeWarning } from '../../../../src/ecg/record';
import { GatewayError } from '../../../../src/errors/gateway-error';
import { fixtureFiles } from '../../../helpers/paths';

// Not compared: the meta header (read apart), delimiters dicom-parser keeps as elements, and what
// it reads from the preamble when it parses a deflated file from byte 0 (elements before the data set).
const skipped = (tag: string, element: dicomParser.Element, datasetOffset: number): boolean =>
  tag.startsWith('x0002') || tag === 'xfffee00d' || element.dataOffset < datasetOffset;

/**
 * Every element dicom-parser finds is found with the same value offset and length, recursing into
 * the sequences both read as sequences. dicom-parser is the independent reference here.
 */
function assertSameElements(ours: DicomDataset, theirs: dicomParser.DataSet, path: string, offsetShift: number, datasetOffset: number): number {
  let compared = 0;
  for (const [tag, theirElement] of Object.entries(theirs.elements)) {
    if (skipped(tag, theirElement, datasetOffset)) continue;
    const mine = ours.get(Number.parseInt(tag.slice(1), 16));
    assert.ok(mine, `${path}${tag} missing`);
    compared++;
    if (theirElement.items && mine.items) {
      assert.equal(mine.items.length, theirElement.items.length, `${path}${tag} item count`);
      theirElement.items.forEach((item, i) => {
        if (item.dataSet) compared += assertSameElements(mine.items?.[i] as DicomDataset, item.dataSet, `${path}${tag}[${i}].`, offsetShift, datasetOffset);
      });
    } else if (!mine.items && theirElement.length !== 0xffffffff) {
      assert.equal(mine.offset + offsetShift, theirElement.dataOffset, `${path}${tag} offset`);
      assert.equal(mine.length, theirElement.length, `${path}${tag} length`);
    }
  }
  assert.equal(ours.elements.size, Object.entries(theirs.elements).filter(([t, e]) => !skipped(t, e, datasetOffset)).length, `${path} element count`);
  return compared;
}

for (const path of [...fixtureFiles('dicom'), ...fixtureFiles('dicom/negative')]) {
  test(`walks ${basename(path)} to the same elements, offsets and lengths as dicom-parser`, () => {
    const file = readFileSync(path);
    const bytes = new Uint8Array(file);
    const warnings: DecodeWarning[] = [];
    const header = readPart10Header(bytes, warnings);
    const ours = readDicomDataset(bytes, header, warnings).dataset;
    // dicom-parser inflates with node:zlib, which needs a Buffer.
    const theirs = dicomParser.parseDicom(file, {
      // dicom-parser needs the dictionary's word on sequences in Implicit VR; ours keeps its own list.
      vrCallback: (tag: string) => (['x54000100', 'x003a0200', 'x003a0208', 'x003a0211', 'x0040b020', 'x0040a043', 'x004008ea', 'x00400555', 'x0040a168'].includes(tag) ? 'SQ' : undefined),
    } as dicomParser.ParseDicomOptions);
    // dicom-parser keeps the meta header in front of an inflated data set; ours holds the data set alone.
    const shift = header.transferSyntaxUid === '1.2.840.10008.1.2.1.99' ? header.datasetOffset : 0;
    const compared = assertSameElements(ours, theirs, '', shift, header.datasetOffset);
    assert.ok(compared > 20, `only ${compared} elements compared`);
  });
}

function source(bytes: number[], littleEndian = true): { bytes: Uint8Array; view: DataView; littleEndian: boolean } {
  const u = new Uint8Array(bytes);
  return { bytes: u, view: new DataView(u.buffer), littleEndian };
}

test('reads an Explicit VR LE element, a short and a long VR, annotated byte by byte', () => {
  const ds = readDicomElements(source([
    0x08, 0x00, 0x60, 0x00, 0x43, 0x53, 0x04, 0x00, 0x45, 0x43, 0x47, 0x20, // (0008,0060) CS len 4 "ECG "
    0x00, 0x54, 0x10, 0x10, 0x4f, 0x57, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0xff, 0xff, // (5400,1010) OW len 4
  ]), 0, true);
  assert.deepEqual(ds.get(0x00080060), { tag: 0x00080060, vr: 'CS', offset: 8, length: 4, items: undefined });
  assert.deepEqual(ds.get(0x54001010), { tag: 0x54001010, vr: 'OW', offset: 24, length: 4, items: undefined });
});

test('reads an Implicit VR sequence of undefined length with an undefined-length item', () => {
  const ds = readDicomElements(source([
    0x00, 0x54, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff, // (5400,0100) Waveform Sequence, undefined length
    0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff, // Item, undefined length
    0x3a, 0x00, 0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0c, 0x00, // (003A,0005) len 2 = 12
    0xfe, 0xff, 0x0d, 0xe0, 0x00, 0x00, 0x00, 0x00, // Item Delimitation
    0xfe, 0xff, 0xdd, 0xe0, 0x00, 0x00, 0x00, 0x00, // Sequence Delimitation
    0x10, 0x00, 0x20, 0x00, 0x02, 0x00, 0x00, 0x00, 0x41, 0x42, // (0010,0020) "AB"
  ]), 0, false);
  const items = ds.get(0x54000100)?.items;
  assert.equal(items?.length, 1);
  assert.equal(items?.[0]?.get(0x003a0005)?.offset, 24);
  assert.equal(ds.get(0x00100020)?.offset, 50);
});

test('refuses a header whose VR is not two letters, naming the element and the byte', () => {
  assert.throws(
    () => readDicomElements(source([0x08, 0x00, 0x60, 0x00, 0x01, 0x02, 0x00, 0x00]), 0, true),
    (err: unknown) => err instanceof GatewayError && err.code === 'DECODE_MALFORMED' && err.field === '(0008,0060)' && /at byte 0/.test(err.message),
  );
});

test('refuses a sequence whose content is not an item', () => {
  assert.throws(
    () => readDicomElements(source([
      0x00, 0x54, 0x00, 0x01, 0x53, 0x51, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, // (5400,0100) SQ len 8
      0x08, 0x00, 0x60, 0x00, 0x43, 0x53, 0x00, 0x00, // an element where an item belongs
    ]), 0, true),
    (err: unknown) => err instanceof GatewayError && err.code === 'DECODE_MALFORMED' && err.field === 'WaveformSequence (5400,0100)',
  );
});

test('refuses an undefined-length sequence that never ends as truncated', () => {
  assert.throws(
    () => readDicomElements(source([0x00, 0x54, 0x00, 0x01, 0x53, 0x51, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]), 0, true),
    (err: unknown) => err instanceof GatewayError && err.code === 'DECODE_TRUNCATED' && err.field === 'WaveformSequence (5400,0100)',
  );
});

test('reads Explicit VR Big Endian lengths and tags in big-endian byte order', () => {
  const ds = readDicomElements(source([0x00, 0x08, 0x00, 0x60, 0x43, 0x53, 0x00, 0x02, 0x48, 0x44], false), 0, true);
  assert.deepEqual(ds.get(0x00080060), { tag: 0x00080060, vr: 'CS', offset: 8, length: 2, items: undefined });
});

test('nesting deeper than 32 sequences is refused, not a stack overflow', () => {
  const bytes: number[] = [];
  for (let i = 0; i < 40; i++) bytes.push(0x40, 0x00, 0x20, 0xb0, 0x53, 0x51, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff);
  assert.throws(() => readDicomElements(source(bytes), 0, true), (err: unknown) => err instanceof GatewayError && err.code === 'DECODE_MALFORMED');
});
