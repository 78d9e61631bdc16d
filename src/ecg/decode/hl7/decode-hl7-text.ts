import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { characterSetFor, UTF8_CHARACTER_SET, type Hl7CharacterSet } from './hl7-character-set';
import { readDelimiters } from './hl7-delimiters';
import type { Hl7Encoding } from './hl7-segment';

/** A message as text, with its delimiters and character set. */
export interface Hl7Text {
  text: string;
  encoding: Hl7Encoding;
  /** False when the bytes end without a segment terminator (CR or LF): a hint of truncation. */
  terminated: boolean;
  warnings: DecodeWarning[];
}

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
const LF = 0x0a;
const HEADER_IDS = ['MSH', 'FHS', 'BHS'];
const ASCII_NAMES: ReadonlySet<string> = new Set(['', 'ASCII', 'ISO IR6']);

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * Turns message bytes into text: skips a UTF-8 BOM, leading blanks and MLLP framing bytes, reads
 * MSH-1/MSH-2, then decodes with the MSH-18 character set (table 0211; empty = 7-bit ASCII).
 * Throws DECODE_MALFORMED (no MSH, bad MSH-1/2) and DECODE_UNSUPPORTED_ENCODING (MSH-18).
 */
export function decodeHl7Text(bytes: Uint8Array): Hl7Text {
  const warnings: DecodeWarning[] = [];
  let start = 0;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bom) {
    start = 3;
    warnings.push({ code: 'HL7_BOM_IGNORED', field: 'MSH', message: 'a UTF-8 byte order mark before MSH was skipped' });
  }
  while (start < bytes.length && (bytes[start] === VT || bytes[start] === CR || bytes[start] === LF || bytes[start] === 0x20 || bytes[start] === 0x09)) start++;
  let end = bytes.length;
  let terminated = false;
  // MLLP ends a frame with FS CR; that CR is framing, the one before FS ends the last segment.
  while (end > start) {
    const b = bytes[end - 1];
    if (b === CR || b === LF) {
      if (!(b === CR && bytes[end - 2] === FS)) terminated = true;
    } else if (b !== FS && b !== 0x20 && b !== 0x09 && b !== 0x00) break;
    end--;
  }
  const body = bytes.subarray(start, end);
  const latin = asBuffer(body).toString('latin1');
  if (!HEADER_IDS.includes(latin.slice(0, 3))) {
    throw new DecodeError('DECODE_MALFORMED', 'MSH', 'the message does not start with an MSH segment');
  }
  const delimiters = readDelimiters(latin);
  let mshAt = 0;
  if (!latin.startsWith('MSH')) {
    // A batch (FHS/BHS) holding one message: its MSH follows the batch headers.
    const at = latin.search(/[\r\n]MSH/);
    if (at < 0) throw new DecodeError('DECODE_MALFORMED', 'MSH', 'the batch holds no MSH segment');
    mshAt = at + 1;
  }
  const msh18 = mshField18(latin, mshAt, delimiters.field, delimiters.repetition, delimiters.component);
  const declared = characterSetFor(msh18);
  if (!declared) {
    throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', 'MSH-18', `MSH-18 character set "${msh18.slice(0, 24)}" is not supported`);
  }

  let characterSet: Hl7CharacterSet = declared;
  let text = latin; // every supported set is ASCII-compatible, so 7-bit bytes read the same in all
  // Native and fast: a Latin-1 string is longer in UTF-8 exactly when it holds bytes above 0x7F.
  const eightBit = Buffer.byteLength(latin, 'utf8') !== latin.length;
  if (eightBit) {
    if (bom) {
      characterSet = UTF8_CHARACTER_SET;
      if (!ASCII_NAMES.has(declared.name) && declared.decode !== UTF8_CHARACTER_SET.decode) {
        warnings.push({ code: 'HL7_CHARSET_CONFLICT', field: 'MSH-18', message: 'MSH-18 names a non-UTF-8 character set but the bytes start with a UTF-8 BOM; read as UTF-8' });
      }
    } else if (ASCII_NAMES.has(declared.name)) {
      characterSet = isValidUtf8(body) ? UTF8_CHARACTER_SET : declared;
      warnings.push({
        code: 'HL7_CHARSET_UNDECLARED',
        field: 'MSH-18',
        message: `8-bit characters with MSH-18 empty or ASCII; read as ${characterSet === declared ? '8859/1' : 'UTF-8'}`,
      });
    }
    text = characterSet.decode(body);
  }
  return { text, encoding: { delimiters, characterSet, latin1Text: text === latin }, terminated, warnings };
}

function mshField18(text: string, mshAt: number, field: string, repetition: string, component: string): string {
  let lineEnd = text.length;
  for (let i = mshAt; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR || c === LF) {
      lineEnd = i;
      break;
    }
  }
  // MSH-1 is the separator itself, so MSH-n is the (n-1)-th piece after the segment ID.
  const raw = text.slice(mshAt, lineEnd).split(field)[17] ?? '';
  return raw.split(repetition)[0]!.split(component)[0]!.trim();
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch (err: unknown) {
    if (err instanceof TypeError) return false;
    throw err;
  }
}
