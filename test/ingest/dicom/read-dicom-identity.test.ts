import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isGatewayError } from '../../../src/errors/gateway-error';
import { readDicomIdentity } from '../../../src/ingest/dicom/read-dicom-identity';
import { fixture, fixtureFiles } from '../../helpers/paths';

test('reads transfer syntax, SOP class/instance and study UID from every DICOM fixture, deflate included', () => {
  const dfl = readDicomIdentity(readFileSync(fixture('dicom', 'wave_dfl.dcm')));
  assert.deepEqual(
    [dfl.transferSyntaxUid, dfl.sopClassUid, dfl.sopInstanceUid, dfl.studyInstanceUid],
    ['1.2.840.10008.1.2.1.99', '1.2.840.10008.5.1.4.1.1.9.2.1', '1.3.6.1.4.1.6018.3.999', '1.3.6.1.4.1.6018.4.999'],
  );
  const implicit = readDicomIdentity(readFileSync(fixture('dicom', 'ecgtoolkit_Example.dcm')));
  assert.equal(implicit.transferSyntaxUid, '1.2.840.10008.1.2');
  assert.equal(implicit.sopClassUid, '1.2.840.10008.5.1.4.1.1.9.1.1');
  for (const f of [...fixtureFiles('dicom', (n) => n.endsWith('.dcm')), ...fixtureFiles('dicom/negative')]) {
    const id = readDicomIdentity(readFileSync(f));
    assert.match(id.sopInstanceUid, /^[0-9.]+$/, f);
    assert.match(id.mediaStorageSopInstanceUid ?? '', /^[0-9.]+$/, f);
  }
});

test('bytes that are not a PS3.10 file fail with DECODE_MALFORMED', () => {
  assert.throws(
    () => readDicomIdentity(Buffer.from('MSH|^~\\&|not dicom')),
    (err: unknown) => isGatewayError(err) && err.code === 'DECODE_MALFORMED' && err.field === 'PS3.10 file',
  );
});
