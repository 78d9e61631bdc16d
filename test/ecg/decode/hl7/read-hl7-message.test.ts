import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readHl7Message } from '../../../../src/ecg/decode/hl7/read-hl7-message';
import { fixture } from '../../../helpers/paths';
import { CHN_I_II, decode, hl7Bytes, lead, MSH, OBR, PID, refuses, TIM } from './hl7-test-message';

const WAV = 'OBX|3|MA|ECG&WAV^Data^L|1|1^2~3^4~5^6||||||F';
const SEGMENTS = [MSH, PID, OBR, TIM, CHN_I_II, WAV];

test('ends segments at CR, LF or CRLF alike', () => {
  const [cr, lf, crlf] = ['\r', '\n', '\r\n'].map((t) => decode(hl7Bytes(SEGMENTS, t)));
  for (const other of [lf, crlf]) {
    assert.deepEqual(other!.patient, cr!.patient);
    assert.deepEqual(lead(other!, 'II'), lead(cr!, 'II'));
  }
  assert.deepEqual(lead(cr!, 'I'), [5, 15, 25]);
  assert.equal(readHl7Message(hl7Bytes(SEGMENTS, '\r\n')).segments.length, 6);
});

test('reads the real LF-separated lab ORU with a UTF-8 BOM into its segments', () => {
  const message = readHl7Message(readFileSync(fixture('hl7', 'negative', 'LAB-ORU-1.hl7')));
  assert.deepEqual(message.segments.map((s) => s.name), ['MSH', 'PID', 'OBR', 'OBX', 'OBX', 'OBX', 'OBX', 'OBX', 'SPM', 'OBR', 'OBX', 'OBX', 'OBX', 'OBX', 'OBX', 'SPM']);
  assert.equal(message.segments[0]!.get(9, 2), 'R01');
  assert.deepEqual(message.warnings.map((w) => w.code), ['HL7_BOM_IGNORED']);
  assert.equal(message.segments[4]!.location(5), 'OBX[2]-5'); // occurrence in the message, not OBX-1
});

test('tolerates MLLP framing bytes around the message', () => {
  const framed = Buffer.concat([Buffer.from([0x0b]), Buffer.from(hl7Bytes(SEGMENTS)), Buffer.from([0x1c, 0x0d])]);
  assert.equal(decode(framed).samplesPerLead, 3);
  assert.equal(readHl7Message(framed).terminated, true);
  assert.equal(readHl7Message(Buffer.from(SEGMENTS.join('\r'))).terminated, false);
});

test('reads names in the MSH-18 character set: 8859/1, 8859/2, UNICODE UTF-8', () => {
  const name = (msh18: string, bytes: Buffer): string | undefined => {
    const head = Buffer.from(`${MSH}||||||${msh18}\rPID|1||123^^^H^MR||`, 'latin1');
    const rest = Buffer.from(`^Ann||19600101|F\r${OBR}\r${TIM}\r${CHN_I_II}\r${WAV}\r`, 'latin1');
    return decode(Buffer.concat([head, bytes, rest])).patient.family;
  };
  assert.equal(name('8859/1', Buffer.from('M\xfcller', 'latin1')), 'Müller');
  assert.equal(name('8859/2', Buffer.from([0xa3, 0x6f, 0x64, 0x7a])), 'Łodz');
  assert.equal(name('UNICODE UTF-8', Buffer.from('Müller Łódź', 'utf8')), 'Müller Łódź');
  assert.equal(name('ISO IR192', Buffer.from('Ærø', 'utf8')), 'Ærø');
});

test('reads undeclared 8-bit text as UTF-8 when it is valid UTF-8, else as 8859/1, with a warning', () => {
  const build = (family: Buffer): Uint8Array =>
    Buffer.concat([Buffer.from(`${MSH}\rPID|1||123^^^H^MR||`, 'latin1'), family, Buffer.from(`||19600101|F\r${OBR}\r${TIM}\r${CHN_I_II}\r${WAV}\r`, 'latin1')]);
  const utf8 = decode(build(Buffer.from('Müller', 'utf8')));
  assert.equal(utf8.patient.family, 'Müller');
  assert.deepEqual(utf8.warnings.map((w) => [w.code, w.field]), [['HL7_CHARSET_UNDECLARED', 'MSH-18']]);
  const latin = decode(build(Buffer.from('M\xfcller', 'latin1')));
  assert.equal(latin.patient.family, 'Müller');
  assert.match(latin.warnings[0]!.message, /8859\/1/);
});

test('reads text after a UTF-8 BOM as UTF-8 and \\X..\\ escapes in the message character set', () => {
  const body = Buffer.from([`${MSH}||||||UNICODE UTF-8`, 'PID|1||123^^^H^MR||Gr\\XC3BC\\n^Zoë||19600101|F', OBR, TIM, CHN_I_II, WAV].join('\r'), 'utf8');
  const record = decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]));
  assert.equal(record.patient.family, 'Grün');
  assert.equal(record.patient.given, 'Zoë');
});

test('refuses a character set it cannot read at MSH-18', () => {
  refuses(() => decode(hl7Bytes([`${MSH}||||||UNICODE UTF-16`, PID, OBR, TIM, CHN_I_II, WAV])), 'DECODE_UNSUPPORTED_ENCODING', 'MSH-18');
});

test('accepts the v2.7 truncation character in MSH-2 and \\P\\ for a literal one', () => {
  const msh = MSH.replace('^~\\&', '^~\\&#').replace('|2.5', '|2.7');
  const message = readHl7Message(hl7Bytes([msh, PID, OBR, TIM, CHN_I_II, WAV]));
  assert.equal(message.encoding.delimiters.truncation, '#');
  assert.equal(message.segments[0]!.get(2), '^~\\&#');
  const record = decode(hl7Bytes([msh, 'PID|1||A\\P\\1^^^H^MR||Lon#^Ann||19600101|F', OBR, TIM, CHN_I_II, WAV]));
  assert.equal(record.patient.id, 'A#1');
  assert.equal(record.patient.family, 'Lon#');
  assert.deepEqual(lead(record, 'II'), [10, 20, 30]);
});

test('reads other delimiters from MSH-1 and MSH-2', () => {
  const odd = (s: string): string => s.replace(/\|/g, '!').replace(/\^/g, '@').replace(/~/g, '*').replace(/&/g, '$');
  const msh = odd(MSH).replace('@*\\$', '@*%$');
  const record = decode(hl7Bytes([msh, ...[PID, OBR, TIM, CHN_I_II, WAV].map(odd)]));
  assert.equal(record.patient.issuer, 'HOSP');
  assert.deepEqual(lead(record, 'I'), [5, 15, 25]);
});

test('takes the one message out of a batch envelope, refuses a batch of two', () => {
  const one = hl7Bytes(['FHS|^~\\&|CART', 'BHS|^~\\&|CART', ...SEGMENTS, 'BTS|1', 'FTS|1']);
  assert.equal(decode(one).samplesPerLead, 3);
  refuses(() => decode(hl7Bytes(['BHS|^~\\&|CART', ...SEGMENTS, ...SEGMENTS, 'BTS|2'])), 'DECODE_MALFORMED', 'MSH[2]');
});

test('refuses text that is not an HL7 message, naming where it breaks', () => {
  refuses(() => decode(Buffer.from('PID|1||123\r')), 'DECODE_MALFORMED', 'MSH');
  refuses(() => decode(Buffer.from('')), 'DECODE_MALFORMED', 'MSH');
  refuses(() => decode(hl7Bytes([MSH.replace('^~\\&', '^~&'), PID])), 'DECODE_MALFORMED', 'MSH-2');
  refuses(() => decode(hl7Bytes([MSH.replace('^~\\&', '^^\\&'), PID])), 'DECODE_MALFORMED', 'MSH-2');
  // A long OBX-5 hard-wrapped onto a second line: the line after OBX[3] is not a segment.
  refuses(() => decode(hl7Bytes([MSH, PID, OBR, TIM, CHN_I_II, 'OBX|3|MA|ECG&WAV^Data^L|1|1^2~3^4', '~5^6||||||F'])), 'DECODE_MALFORMED', 'OBX[3]');
});
