import { DecodeError } from '../decode-error';
import { pieceOf, type Hl7Segment } from './hl7-segment';

/** An ECG object carried in OBX ED: the bytes for the nested decoder. */
export interface EdPayload {
  bytes: Uint8Array;
  /** What ED.2/ED.3 say it is. */
  kind: 'dicom' | 'xml';
  /** Location of the data, `OBX[n]-5.5`. */
  field: string;
}

const BASE64 = /^[A-Za-z0-9+/=\r\n ]*$/;
const HEX = /^(?:[0-9A-Fa-f]{2})*$/;

/**
 * Reads an OBX ED value (v2.x ch. 2A ED: source application ^ type of data ^ data subtype ^
 * encoding ^ data). ED.5 is required, so empty data is refused whatever the type. Returns undefined
 * for types that are not ECG objects (a PDF report): DICOM is `application^dicom`, aECG is XML
 * (`text^xml`, `application^xml`, `…+xml`). Encodings (table 0299): `Base64`, `Hex`, `A` (text).
 * Throws DECODE_REQUIRED_FIELD_MISSING (OBX-5.5) and DECODE_INVALID_VALUE (OBX-5.4, OBX-5.5).
 */
export function readEdPayload(obx: Hl7Segment): EdPayload | undefined {
  const d = obx.encoding.delimiters;
  const value = pieceOf(obx.raw(5), d.repetition, 1);
  const part = (c: number): string => obx.unescape(pieceOf(value, d.component, c)).trim();
  const field = obx.location(5, undefined, 5);
  const rawData = pieceOf(value, d.component, 5);
  if (rawData.trim() === '') throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', field, 'ED data (OBX-5.5) is empty');

  const type = part(2).toLowerCase();
  const subtype = part(3).toLowerCase();
  let kind: EdPayload['kind'];
  if (subtype === 'dicom') kind = 'dicom';
  else if (subtype === 'xml' || subtype.endsWith('+xml')) kind = 'xml';
  else return undefined;
  if (type !== '' && type !== 'application' && type !== 'text') return undefined;

  const encoding = part(4).toUpperCase();
  let bytes: Uint8Array;
  if (encoding === 'BASE64') {
    if (!BASE64.test(rawData)) throw new DecodeError('DECODE_INVALID_VALUE', field, 'ED data is not Base64');
    bytes = Buffer.from(rawData, 'base64');
  } else if (encoding === 'HEX') {
    if (!HEX.test(rawData)) throw new DecodeError('DECODE_INVALID_VALUE', field, 'ED data is not hexadecimal');
    bytes = Buffer.from(rawData, 'hex');
  } else if (encoding === 'A') {
    if (kind === 'dicom') throw new DecodeError('DECODE_INVALID_VALUE', obx.location(5, undefined, 4), 'binary DICOM cannot use ED encoding A');
    bytes = new TextEncoder().encode(obx.unescape(rawData));
  } else {
    throw new DecodeError('DECODE_INVALID_VALUE', obx.location(5, undefined, 4), 'ED encoding (OBX-5.4) must be Base64, Hex or A (table 0299)');
  }
  if (bytes.length === 0) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', field, 'ED data (OBX-5.5) decodes to nothing');
  return { bytes, kind, field };
}
