import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DecodeError } from '../../../src/ecg/decode/decode-error';
import { readHl7MessageHeader } from '../../../src/ecg/decode/hl7/read-message-header';
import { GatewayError } from '../../../src/errors/gateway-error';
import { buildAck, escapeHl7Text, formatHl7Timestamp } from '../../../src/ingest/hl7/ack';
import { errorToAck } from '../../../src/ingest/hl7/error-to-ack';
import { fixture } from '../../helpers/paths';

const AT = new Date('2024-03-05T10:15:00.000Z');
const header = (text: string) => readHl7MessageHeader(Buffer.from(text, 'latin1'));
const segments = (ack: string) => ack.split('\r').filter((s) => s !== '');

test('AA swaps sender and receiver, mirrors MSH-9 shape, and answers the original MSH-10', () => {
  const msh = readHl7MessageHeader(readFileSync(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7')));
  const ack = buildAck({ original: msh, mode: 'original', outcome: 'accept', controlId: 'G1', at: AT, self: 'ECGGW' });
  assert.deepEqual(segments(ack), [
    'MSH|^~\\&|ECGGW|HOSPITAL|ECGCART|CARDIOLOGY|20240305101500+0000||ACK^R01^ACK|G1|P|2.5',
    'MSA|AA|ECG-MA-0001',
  ]);
  assert.ok(ack.endsWith('\r'));
});

test('a v2.3 ORU^R01 gets ACK^R01 and, on error, the pre-2.5 ERR-1 as well', () => {
  const msh = header('MSH|^~\\&|CART|WARD|||20240101||ORU^R01|C9|P|2.3\r');
  const nak = errorToAck(new DecodeError('DECODE_INVALID_VALUE', 'OBX[3]-5', 'sample 7 is not a number'), 'original');
  const [head, msa, err] = segments(buildAck({ original: msh, mode: 'original', outcome: nak.outcome, error: nak.error, controlId: 'G2', at: AT, self: 'ECGGW' }));
  assert.equal(head, 'MSH|^~\\&|ECGGW||CART|WARD|20240305101500+0000||ACK^R01|G2|P|2.3');
  assert.equal(msa, 'MSA|AE|C9|OBX[3]-5: sample 7 is not a number');
  assert.equal(err, 'ERR|OBX^3^5^102&Data type error&HL70357|OBX^3^5^1^^|102^Data type error^HL70357|E|DECODE_INVALID_VALUE^^ECGGW|||OBX[3]-5: sample 7 is not a number');
});

test('enhanced mode turns accept/error/reject into CA/CE/CR', () => {
  const msh = header('MSH|^~\\&|CART|WARD|||20240101||ORU^R01^ORU_R01|C1|P|2.5|||AL|NE\r');
  const code = (outcome: 'accept' | 'error' | 'reject') => segments(buildAck({ original: msh, mode: 'enhanced', outcome, controlId: 'G', at: AT, self: 'ECGGW' }))[1]!.split('|')[1];
  assert.deepEqual([code('accept'), code('error'), code('reject')], ['CA', 'CE', 'CR']);
});

test('the ACK uses the sender’s own delimiters and escapes text that contains them', () => {
  const msh = header('MSH#:~\\&#CART#WARD#GW#H#20240101##ORU:R01#C1#P#2.5\r');
  const [head, msa, err] = segments(buildAck({
    original: msh, mode: 'original', outcome: 'error', controlId: 'G3', at: AT, self: 'ECGGW',
    error: { condition: 101, severity: 'E', applicationCode: 'X', text: 'a#b:c' },
  }));
  assert.equal(head, 'MSH#:~\\&#GW#H#CART#WARD#20240305101500+0000##ACK:R01#G3#P#2.5');
  assert.equal(msa, 'MSA#AE#C1#a\\F\\b\\S\\c');
  assert.ok(err!.startsWith('ERR##'));
});

test('without a readable MSH the NAK still is a valid ACK, with an empty MSA-2', () => {
  const nak = errorToAck(new DecodeError('DECODE_MALFORMED', 'MSH', 'the message does not start with an MSH segment'), 'original');
  assert.equal(nak.outcome, 'reject');
  assert.equal(nak.error.condition, 100);
  const [head, msa] = segments(buildAck({ original: undefined, mode: 'original', outcome: nak.outcome, error: nak.error, controlId: 'G4', at: AT, self: 'ECGGW' }));
  assert.equal(head, 'MSH|^~\\&|ECGGW||||20240305101500+0000||ACK|G4|P|2.5');
  assert.match(msa!, /^MSA\|AR\|\|MSH: /);
});

test('errorToAck follows the decision table of standards.md §4.4', () => {
  const cases: Array<[GatewayError, 'original' | 'enhanced', string, number]> = [
    [new DecodeError('DECODE_UNSUPPORTED_MESSAGE_TYPE', 'MSH-9', 'ADT'), 'original', 'reject', 200],
    [new DecodeError('DECODE_UNSUPPORTED_MESSAGE_TYPE', 'MSH-9.2', 'ORU^R30'), 'original', 'reject', 201],
    [new DecodeError('DECODE_UNSUPPORTED_PROCESSING_ID', 'MSH-11', 'X'), 'original', 'reject', 202],
    [new DecodeError('DECODE_UNSUPPORTED_VERSION', 'MSH-12', '9.9'), 'enhanced', 'reject', 203],
    [new DecodeError('DECODE_REQUIRED_FIELD_MISSING', 'PID-3', 'empty'), 'original', 'error', 101],
    [new DecodeError('DECODE_NO_WAVEFORM', 'OBX-3', 'none'), 'original', 'error', 101],
    [new DecodeError('DECODE_INVALID_VALUE', 'OBX[3]-5', 'nan'), 'original', 'error', 102],
    [new DecodeError('DECODE_WAVEFORM_INCONSISTENT', 'OBX[3]-5[2]', 'ragged'), 'original', 'error', 102],
    [new DecodeError('DECODE_TRUNCATED', 'OBX[3]-5', 'cut'), 'original', 'error', 100],
    [new GatewayError('STORE_UNAVAILABLE', 'disk'), 'original', 'reject', 207],
    [new GatewayError('STORE_UNAVAILABLE', 'disk'), 'enhanced', 'error', 207],
    [new GatewayError('INGEST_TOO_LARGE', 'big'), 'original', 'error', 104],
  ];
  for (const [err, mode, outcome, condition] of cases) {
    const nak = errorToAck(err, mode);
    assert.equal(nak.outcome, outcome, `${err.code} ${mode}`);
    assert.equal(nak.error.condition, condition, `${err.code} ${mode}`);
    assert.equal(nak.error.severity, 'E');
    assert.equal(nak.error.applicationCode, err.code);
  }
  const unknown = errorToAck(new TypeError('boom'), 'original');
  assert.deepEqual([unknown.outcome, unknown.error.condition, unknown.error.applicationCode], ['error', 207, 'INTERNAL']);
  assert.equal(errorToAck(new DecodeError('DECODE_INVALID_VALUE', 'OBX[3]-5[2].5', 'x'), 'original').error.location?.join('^'), 'OBX^3^5^2^5^');
});

test('timestamps and escapes are formatted per HL7', () => {
  assert.equal(formatHl7Timestamp(new Date('2009-01-02T03:04:05Z')), '20090102030405+0000');
  assert.equal(escapeHl7Text('a|b^c&d~e\\f\r\ng', { field: '|', component: '^', subcomponent: '&', repetition: '~', escape: '\\' }), 'a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f g');
});
