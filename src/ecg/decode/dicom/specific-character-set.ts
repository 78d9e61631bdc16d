import type { DecodeWarning } from '../../record';
import type { DicomDataset } from './dicom-dataset';
import { fieldOf, TAG } from './dicom-tags';
import { asciiOf, type TextDecode } from './dicom-values';

// PS3.3 C.12.1.1.2 Table C.12-2/-3/-4 Defined Terms → WHATWG encoding labels (TextDecoder).
// Without code extensions a single "ISO 2022 IR n" value encodes like "ISO_IR n".
const ENCODING_BY_TERM: Readonly<Record<string, string>> = {
  'ISO_IR 6': 'latin1',
  'ISO 2022 IR 6': 'latin1',
  'ISO_IR 100': 'latin1',
  'ISO 2022 IR 100': 'latin1',
  'ISO_IR 101': 'iso-8859-2',
  'ISO 2022 IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO 2022 IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO 2022 IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO 2022 IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO 2022 IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO 2022 IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO 2022 IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO 2022 IR 148': 'iso-8859-9',
  'ISO_IR 203': 'iso-8859-15',
  'ISO 2022 IR 203': 'iso-8859-15',
  'ISO_IR 166': 'windows-874',
  'ISO 2022 IR 166': 'windows-874',
  'ISO_IR 13': 'shift_jis',
  'ISO 2022 IR 13': 'shift_jis',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

// Japanese with ISO 2022 escapes (IR 87 kanji, IR 159 supplementary) is what TextDecoder calls iso-2022-jp.
const ISO_2022_JP_TERMS: ReadonlySet<string> = new Set(['ISO 2022 IR 87', 'ISO 2022 IR 159']);

// One decoder per encoding for the life of the process: a cache, not state that changes results.
const decoders = new Map<string, TextDecode>();

function latin1(bytes: Uint8Array): string {
  // ISO 8859-1 exactly (TextDecoder('latin1') is windows-1252, which differs in 0x80–0x9F).
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

function decoderFor(encoding: string): TextDecode | undefined {
  if (encoding === 'latin1') return latin1;
  let decode = decoders.get(encoding);
  if (decode === undefined) {
    try {
      const decoder = new TextDecoder(encoding);
      decode = (bytes) => decoder.decode(bytes);
    } catch (err: unknown) {
      if (err instanceof RangeError) return undefined; // this Node build lacks the encoding (no full ICU)
      throw err;
    }
    decoders.set(encoding, decode);
  }
  return decode;
}

/**
 * The text decoder for a Specific Character Set (0008,0005) value. Absent means the default
 * repertoire (ASCII), read as ISO 8859-1 so stray 8-bit bytes survive. An unsupported set is read
 * as ISO 8859-1 too, with a CHARSET_UNSUPPORTED warning.
 */
export function textDecoderFor(specificCharacterSet: string | undefined, warnings: DecodeWarning[]): TextDecode {
  if (specificCharacterSet === undefined) return latin1;
  const terms = specificCharacterSet.split('\\').map((t) => t.trim());
  let encoding: string | undefined;
  if (terms.some((t) => ISO_2022_JP_TERMS.has(t))) encoding = 'iso-2022-jp';
  else {
    // A first value left empty means the default repertoire with code extensions; use the next one.
    const term = terms.find((t) => t !== '') ?? 'ISO_IR 6';
    encoding = terms.filter((t) => t !== '').length > 1 ? undefined : ENCODING_BY_TERM[term];
  }
  const decode = encoding === undefined ? undefined : decoderFor(encoding);
  if (decode === undefined) {
    warnings.push({ code: 'CHARSET_UNSUPPORTED', field: fieldOf(TAG.SpecificCharacterSet), message: 'character set not supported; text read as ISO 8859-1' });
    return latin1;
  }
  return decode;
}

/** The text decoder for a data set, from its Specific Character Set (0008,0005). */
export function specificCharacterSetOf(ds: DicomDataset, warnings: DecodeWarning[]): TextDecode {
  return textDecoderFor(asciiOf(ds, TAG.SpecificCharacterSet), warnings);
}
