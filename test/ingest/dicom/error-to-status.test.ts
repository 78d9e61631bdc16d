import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeError } from '../../../src/ecg/decode/decode-error';
import { GatewayError } from '../../../src/errors/gateway-error';
import { errorToStoreStatus, formatStatus } from '../../../src/ingest/dicom/error-to-status';

test('maps store, decode and ingest errors to the C-STORE statuses of PS3.4 Table B.2-1', () => {
  const cases: Array<[unknown, number]> = [
    [new GatewayError('STORE_UNAVAILABLE', 'db locked'), 0xa700],
    [new GatewayError('INGEST_TOO_LARGE', 'too big'), 0xa700],
    [new DecodeError('DECODE_MALFORMED', 'PS3.10 file', 'no DICM'), 0xc000],
    [new DecodeError('DECODE_TRUNCATED', 'WaveformData (5400,1010)', 'short'), 0xc000],
    [new DecodeError('DECODE_NO_WAVEFORM', 'WaveformSequence (5400,0100)', 'absent'), 0xa900],
    [new DecodeError('DECODE_UNSUPPORTED_ENCODING', 'WaveformSampleInterpretation (5400,1006)', 'MB'), 0xa900],
    [new GatewayError('INGEST_DATASET_MISMATCH', 'class differs'), 0xa900],
    [new GatewayError('INGEST_SOP_CLASS_NOT_SUPPORTED', 'CT'), 0x0122],
    [new GatewayError('INGEST_TRANSFER_SYNTAX_NOT_SUPPORTED', 'JPEG'), 0xc122],
    [new TypeError('boom'), 0x0110],
  ];
  for (const [err, status] of cases) assert.equal(errorToStoreStatus(err).status, status, String(err));
});

test('the Error Comment is code and field only, at most 64 characters, no backslash', () => {
  const a = errorToStoreStatus(new DecodeError('DECODE_INVALID_VALUE', 'ChannelSensitivity (003A,0210)\\[3]', 'patient DOE^JOHN value'));
  assert.ok(a.errorComment.length <= 64);
  assert.ok(a.errorComment.startsWith('DECODE_INVALID_VALUE ChannelSensitivity (003A,0210)'));
  assert.ok(!a.errorComment.includes('\\'));
  assert.ok(!a.errorComment.includes('DOE'), 'the message text (which could hold values) is never sent');
  assert.equal(errorToStoreStatus(new DecodeError('DECODE_REQUIRED_FIELD_MISSING', 'x'.repeat(100), 'm')).errorComment.length, 64);
});

test('formats statuses the way DICOM tools print them', () => {
  assert.equal(formatStatus(0xa900), 'A900');
  assert.equal(formatStatus(0), '0000');
  assert.equal(formatStatus(0x0122), '0122');
});
