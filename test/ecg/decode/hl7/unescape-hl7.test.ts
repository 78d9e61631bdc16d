import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Hl7Delimiters } from '../../../../src/ecg/decode/hl7/hl7-delimiters';
import { unescapeHl7 } from '../../../../src/ecg/decode/hl7/unescape-hl7';
import { decode, MSH, oru, TIM, CHN_I_II } from './hl7-test-message';

const STANDARD: Hl7Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&', truncation: '#' };
const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

test('resolves the delimiter escapes \\F\\ \\S\\ \\T\\ \\R\\ \\E\\ and the v2.7 \\P\\', () => {
  assert.equal(unescapeHl7('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\P\\', STANDARD, latin1), 'a|b^c&d~e\\f#');
});

test('uses the delimiters of this message, not the usual ones', () => {
  const odd: Hl7Delimiters = { field: '!', component: '@', repetition: '*', escape: '%', subcomponent: '$' };
  assert.equal(unescapeHl7('x%F%y%S%z%E%', odd, latin1), 'x!y@z%');
  assert.equal(unescapeHl7('a\\F\\b', odd, latin1), 'a\\F\\b');
});

test('decodes \\X..\\ bytes in the message character set', () => {
  assert.equal(unescapeHl7('line\\X0D0A\\next', STANDARD, latin1), 'line\r\nnext');
  assert.equal(unescapeHl7('M\\XFC\\ller', STANDARD, latin1), 'Müller');
  assert.equal(unescapeHl7('M\\XC3BC\\ller', STANDARD, utf8), 'Müller');
});

test('drops highlighting and formatting, keeps unknown or unterminated sequences as sent', () => {
  assert.equal(unescapeHl7('\\H\\bold\\N\\ text', STANDARD, latin1), 'bold text');
  assert.equal(unescapeHl7('one\\.br\\two', STANDARD, latin1), 'one\ntwo');
  assert.equal(unescapeHl7('\\.sp2\\x\\C2842\\y', STANDARD, latin1), 'xy');
  assert.equal(unescapeHl7('a\\Q\\b', STANDARD, latin1), 'a\\Q\\b');
  assert.equal(unescapeHl7('a\\Xzz\\b', STANDARD, latin1), 'a\\Xzz\\b');
  assert.equal(unescapeHl7('trailing\\F', STANDARD, latin1), 'trailing\\F');
  assert.equal(unescapeHl7('plain', STANDARD, latin1), 'plain');
  const noTruncation: Hl7Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };
  assert.equal(unescapeHl7('a\\P\\b', noTruncation, latin1), 'a\\P\\b');
});

test('unescapes identifiers after splitting, so escaped delimiters stay inside one value', () => {
  const record = decode(oru([TIM, CHN_I_II, 'OBX|3|MA|ECG&WAV^Data^L|1|1^2~3^4||||||F'], {
    msh: MSH.replace('|MSG1|', '|MSG\\F\\1|'),
    pid: 'PID|1||12\\S\\34^^^HO\\T\\SP^MR||Smith\\T\\Jones^Ann||19600101|F',
  }));
  assert.equal(record.patient.id, '12^34');
  assert.equal(record.patient.issuer, 'HO&SP');
  assert.equal(record.patient.family, 'Smith&Jones');
  assert.equal(record.order.messageControlId, 'MSG|1');
});
