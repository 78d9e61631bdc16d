import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGatewayError } from '../../../src/errors/gateway-error';
import { parseMediaType } from '../../../src/ingest/http/parse-media-type';

test('parses type, subtype and parameters; quoted values are unquoted, names lower-cased', () => {
  const m = parseMediaType('Multipart/Related; Type="application/dicom";boundary=abc ;  start="<a\\"b>"', 'INGEST_UNSUPPORTED_MEDIA_TYPE');
  assert.equal(m.essence, 'multipart/related');
  assert.equal(m.params.get('type'), 'application/dicom');
  assert.equal(m.params.get('boundary'), 'abc');
  assert.equal(m.params.get('start'), '<a"b>');
});

test('refuses a value that is not a media type, with the code asked for', () => {
  for (const v of ['', 'multipart', 'multipart/related; type', 'a/b; x=1; x=2', 'a/b c']) {
    assert.throws(
      () => parseMediaType(v, 'INGEST_UNSUPPORTED_MEDIA_TYPE'),
      (err: unknown) => isGatewayError(err) && err.code === 'INGEST_UNSUPPORTED_MEDIA_TYPE' && err.field === 'Content-Type',
      v,
    );
  }
});
