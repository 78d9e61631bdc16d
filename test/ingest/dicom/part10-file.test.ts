import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseDicom } from 'dicom-parser';
import { buildPart10File } from '../../../src/ingest/dicom/part10-file';
import { fixture } from '../../helpers/paths';

/** One Implicit VR LE element: (0008,0018) UI "1.2" + NUL pad. */
const TINY_DATASET = Buffer.from([0x08, 0x00, 0x18, 0x00, 0x04, 0x00, 0x00, 0x00, 0x31, 0x2e, 0x32, 0x00]);

function datasetOf(file: Buffer): Buffer {
  return file.subarray(144 + file.readUInt32LE(140));
}

const META = {
  mediaStorageSopClassUid: '1.2.840.10008.5.1.4.1.1.9.1.1',
  mediaStorageSopInstanceUid: '1.2.3.456', // odd length: padded with NUL
  transferSyntaxUid: '1.2.840.10008.1.2',
  implementationClassUid: '2.25.1',
  implementationVersionName: 'ECGGW_0.1', // odd length: padded with a space
  sourceAeTitle: 'CART01',
};

test('wraps dataset bytes in a PS3.10 file whose File Meta dicom-parser reads back', () => {
  const original = readFileSync(fixture('dicom', 'ecgtoolkit_Example.dcm'));
  const file = buildPart10File(META, datasetOf(original));
  assert.equal(file.subarray(0, 128).every((b) => b === 0), true, '128-byte zero preamble');
  assert.equal(file.toString('latin1', 128, 132), 'DICM');
  const ds = parseDicom(file);
  assert.equal(ds.string('x00020002'), META.mediaStorageSopClassUid);
  assert.equal(ds.string('x00020003'), META.mediaStorageSopInstanceUid);
  assert.equal(ds.string('x00020010'), META.transferSyntaxUid);
  assert.equal(ds.string('x00020012'), META.implementationClassUid);
  assert.equal(ds.string('x00020013'), META.implementationVersionName);
  assert.equal(ds.string('x00020016'), 'CART01');
  assert.deepEqual([...file.subarray(ds.elements['x00020001']!.dataOffset, ds.elements['x00020001']!.dataOffset + 2)], [0, 1]);
  // The dataset that follows is untouched, and the parser sees the same SOP Instance UID.
  assert.ok(datasetOf(file).equals(datasetOf(original)));
  assert.equal(ds.string('x00080018'), parseDicom(original).string('x00080018'));
});

test('the group length covers exactly the File Meta elements and every value has even length', () => {
  const file = buildPart10File(META, TINY_DATASET);
  const groupLength = file.readUInt32LE(140);
  assert.equal(144 + groupLength, file.length - TINY_DATASET.length, 'group length ends where the dataset starts');
  const ds = parseDicom(file);
  for (const el of Object.values(ds.elements)) assert.equal(el.length % 2, 0, `${el.tag} has even length`);
  assert.equal(file[ds.elements['x00020003']!.dataOffset + 9], 0x00, 'UI pads with NUL');
  assert.equal(file[ds.elements['x00020013']!.dataOffset + 9], 0x20, 'SH pads with a space');
});

test('omits the Source AE Title when the sender is unknown', () => {
  const { sourceAeTitle: _omit, ...meta } = META;
  const ds = parseDicom(buildPart10File(meta, TINY_DATASET));
  assert.equal(ds.elements['x00020016'], undefined);
  assert.equal(ds.string('x00080018'), '1.2');
});
