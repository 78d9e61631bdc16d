import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGatewayError } from '../../../src/errors/gateway-error';
import { parseMultipartRelated } from '../../../src/ingest/http/parse-multipart-related';

const b = (s: string) => Buffer.from(s, 'latin1');

function malformed(body: string, boundary: string, why: RegExp): void {
  assert.throws(
    () => parseMultipartRelated(b(body), boundary),
    (err: unknown) => isGatewayError(err) && err.code === 'INGEST_MULTIPART_MALFORMED' && why.test(err.message),
  );
}

test('splits parts with their headers and binary bodies; preamble and epilogue are ignored', () => {
  const payload = Buffer.from([0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0xff]); // CRLF-- inside data is not a delimiter
  const body = Buffer.concat([
    b('preamble text\r\n--B0\r\nContent-Type: application/dicom\r\nContent-Location:  x  \r\n\r\n'),
    payload,
    b('\r\n--B0 \t\r\ncontent-type: application/dicom; transfer-syntax=1.2.840.10008.1.2.1\r\n\r\nsecond'),
    b('\r\n--B0--\r\nepilogue'),
  ]);
  const parts = parseMultipartRelated(body, 'B0');
  assert.equal(parts.length, 2);
  assert.ok(parts[0]!.body.equals(payload));
  assert.equal(parts[0]!.headers.get('content-type'), 'application/dicom');
  assert.equal(parts[0]!.headers.get('content-location'), 'x');
  assert.equal(parts[1]!.headers.get('content-type'), 'application/dicom; transfer-syntax=1.2.840.10008.1.2.1');
  assert.equal(parts[1]!.body.toString(), 'second');
});

test('a part may have no headers and an empty body', () => {
  const parts = parseMultipartRelated(b('--x\r\n\r\n\r\n--x--'), 'x');
  assert.equal(parts.length, 1);
  assert.equal(parts[0]!.headers.size, 0);
  assert.equal(parts[0]!.body.length, 0);
});

test('a body with only the close delimiter has no parts', () => {
  assert.deepEqual(parseMultipartRelated(b('--x--\r\n'), 'x'), []);
});

test('refuses broken bodies, naming the rule', () => {
  malformed('no boundary here', 'x', /opening boundary not found/);
  malformed('--x\r\nContent-Type: application/dicom\r\n\r\ndata without end', 'x', /not closed by a boundary/);
  malformed('--x\r\nContent-Type: application/dicom', 'x', /headers of part 1 do not end/);
  malformed('--xjunk\r\n\r\ndata\r\n--x--', 'x', /no CRLF after boundary/);
  malformed('--x\r\nContent-Type: application/dicom\r\n folded\r\n\r\ndata\r\n--x--', 'x', /bad header line/);
  malformed('--x\r\n\r\nd\r\n--x--', 'a'.repeat(71), /boundary parameter/);
});
