import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';

// XML 1.0 §4.3.3 / Appendix F: a BOM decides; else the declaration's encoding; else UTF-8.
const LATIN1_NAMES = new Set(['iso-8859-1', 'latin1', 'latin-1', 'windows-1252', 'us-ascii', 'ascii']);

function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 256)).toString('latin1');
  const m = /^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return m?.[1]?.toLowerCase();
}

/**
 * Bytes → XML text, honouring a UTF-8/UTF-16 BOM and the declared encoding (UTF-8 or Latin-1).
 * Invalid UTF-8 is read as Latin-1 with a warning rather than refused: carts mislabel names.
 * Throws DECODE_UNSUPPORTED_ENCODING for any other declared encoding.
 */
export function decodeXmlText(bytes: Uint8Array, warnings: DecodeWarning[]): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const encoding = declaredEncoding(bytes) ?? 'utf-8';
  if (LATIN1_NAMES.has(encoding)) return new TextDecoder('latin1').decode(bytes);
  if (encoding !== 'utf-8' && encoding !== 'utf8') {
    throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', 'XML declaration/@encoding', `XML encoding ${encoding} is not supported (UTF-8, UTF-16, ISO-8859-1)`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err: unknown) {
    if (!(err instanceof TypeError)) throw err;
    warnings.push({ code: 'AECG_NOT_UTF8', field: 'XML document', message: 'bytes are not valid UTF-8; read as ISO-8859-1' });
    return new TextDecoder('latin1').decode(bytes);
  }
}
