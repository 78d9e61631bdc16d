import { inflateRaw } from 'pako';
import { DecodeError } from '../decode-error';

const FIELD = 'DICOM data set (Deflated Explicit VR Little Endian)';

/**
 * PS3.5 A.5: in the Deflated Explicit VR Little Endian transfer syntax everything after the File
 * Meta Information is one RFC 1951 raw deflate stream. This is dicom-parser's `inflater`: pako keeps
 * the core pure (dicom-parser's own fallback is node:zlib). dicom-parser reads what the inflater
 * returns from byte 0 (parseDicom.js, getDataSetByteStream), so this returns the inflated data set
 * alone, not behind a copy of the meta group as dicom-parser's zlib path does (which then walks the
 * preamble as elements). Throws DECODE_TRUNCATED, DECODE_MALFORMED.
 */
export function inflateDeflatedDataset(bytes: Uint8Array, datasetOffset: number): Uint8Array {
  let inflated: unknown;
  try {
    inflated = inflateRaw(bytes.subarray(datasetOffset));
  } catch (err: unknown) {
    // pako throws its zlib message as a string; 'buffer error' (Z_BUF_ERROR) means the stream stops early.
    const reason = typeof err === 'string' ? err : err instanceof Error ? err.message : 'inflate failed';
    if (reason === 'buffer error' || reason === 'unexpected end of file') {
      throw new DecodeError('DECODE_TRUNCATED', FIELD, 'the deflate stream ends before its last block', err);
    }
    throw new DecodeError('DECODE_MALFORMED', FIELD, `the deflate stream is corrupt (${reason})`, err);
  }
  if (!(inflated instanceof Uint8Array)) {
    throw new DecodeError('DECODE_TRUNCATED', FIELD, 'the deflate stream ends before its last block');
  }
  return inflated;
}
