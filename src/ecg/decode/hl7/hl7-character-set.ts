import iconv from 'iconv-lite';

/** A character set named by MSH-18 (table 0211), able to turn the message bytes into text. */
export interface Hl7CharacterSet {
  /** The MSH-18 value as sent, upper-cased ('' for the 7-bit ASCII default). */
  name: string;
  decode(bytes: Uint8Array): string;
}

type Decoder = (bytes: Uint8Array) => string;

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
const latin1: Decoder = (b) => asBuffer(b).toString('latin1');
const utf8: Decoder = (b) => asBuffer(b).toString('utf8');
const viaIconv = (encoding: string): Decoder => (b) => iconv.decode(asBuffer(b), encoding);

// Table 0211 (v2.5–2.8) plus the DICOM-style ISO IR terms some senders use. 7-bit ASCII is read as
// Latin-1 so that stray 8-bit bytes survive as characters instead of replacement marks.
const DECODERS: Readonly<Record<string, Decoder>> = {
  '': latin1,
  ASCII: latin1,
  'ISO IR6': latin1,
  '8859/1': latin1,
  'ISO IR100': latin1,
  '8859/2': viaIconv('iso-8859-2'),
  'ISO IR101': viaIconv('iso-8859-2'),
  '8859/3': viaIconv('iso-8859-3'),
  'ISO IR109': viaIconv('iso-8859-3'),
  '8859/4': viaIconv('iso-8859-4'),
  'ISO IR110': viaIconv('iso-8859-4'),
  '8859/5': viaIconv('iso-8859-5'),
  'ISO IR144': viaIconv('iso-8859-5'),
  '8859/6': viaIconv('iso-8859-6'),
  'ISO IR127': viaIconv('iso-8859-6'),
  '8859/7': viaIconv('iso-8859-7'),
  'ISO IR126': viaIconv('iso-8859-7'),
  '8859/8': viaIconv('iso-8859-8'),
  'ISO IR138': viaIconv('iso-8859-8'),
  '8859/9': viaIconv('iso-8859-9'),
  'ISO IR148': viaIconv('iso-8859-9'),
  '8859/15': viaIconv('iso-8859-15'),
  'UNICODE UTF-8': utf8,
  'ISO IR192': utf8,
  'UTF-8': utf8,
  'GB 18030-2000': viaIconv('gb18030'),
  'BIG-5': viaIconv('big5'),
  'KS X 1001': viaIconv('euc-kr'),
};

/** The character set for an MSH-18 value, or undefined when it is not one the gateway reads (UTF-16/32, JIS…). */
export function characterSetFor(msh18: string): Hl7CharacterSet | undefined {
  const name = msh18.trim().toUpperCase();
  const decode = DECODERS[name];
  return decode === undefined ? undefined : { name, decode };
}

/** UTF-8 (for a BOM or undeclared 8-bit text that is valid UTF-8). */
export const UTF8_CHARACTER_SET: Hl7CharacterSet = { name: 'UNICODE UTF-8', decode: utf8 };
