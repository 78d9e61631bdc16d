import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { fieldOf, TAG } from './dicom-tags';

export interface Part10Header {
  /** Byte offset where the data set (after the File Meta Information) starts. */
  datasetOffset: number;
  /** (0002,0010), NUL/space padding removed; undefined when there is no meta header or it lacks one. */
  transferSyntaxUid: string | undefined;
  /** (0002,0002), for a clearer error when the data set itself cannot be read. */
  mediaStorageSopClassUid: string | undefined;
  /** Whether a File Meta Information group was present at all. */
  hasMeta: boolean;
}

const PREAMBLE_LENGTH = 128;
const DICM = [0x44, 0x49, 0x43, 0x4d];
// PS3.5 §7.1.2: VRs with a 32-bit length in Explicit VR.
const LONG_VRS: ReadonlySet<string> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

function isUpper(b: number | undefined): boolean {
  return b !== undefined && b >= 65 && b <= 90;
}

function uidAt(bytes: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = offset; i < offset + length; i++) s += String.fromCharCode(bytes[i] as number);
  return s.replace(/[\0 ]+$/, '').trim();
}

/**
 * Reads the PS3.10 §7.1 File Meta Information: a 128-byte preamble, "DICM", then group 0002 in
 * Explicit VR Little Endian. Tolerates (with a warning) a missing preamble, a bare data set, and a
 * meta group written in Implicit VR. Throws DECODE_TRUNCATED.
 */
export function readPart10Header(bytes: Uint8Array, warnings: DecodeWarning[]): Part10Header {
  let pos: number;
  if (bytes.length >= PREAMBLE_LENGTH + 4 && DICM.every((b, i) => bytes[PREAMBLE_LENGTH + i] === b)) {
    pos = PREAMBLE_LENGTH + 4;
  } else if (bytes.length >= 8 && bytes[0] === 0x02 && bytes[1] === 0x00) {
    warnings.push({ code: 'PART10_PREAMBLE_MISSING', field: 'DICOM preamble (PS3.10 §7.1)', message: 'the file starts at the File Meta Information, without preamble and DICM prefix' });
    pos = 0;
  } else {
    warnings.push({ code: 'PART10_HEADER_MISSING', field: 'File Meta Information (PS3.10 §7.1)', message: 'no preamble or File Meta Information; read as a bare data set' });
    return { datasetOffset: 0, transferSyntaxUid: undefined, mediaStorageSopClassUid: undefined, hasMeta: false };
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let transferSyntaxUid: string | undefined;
  let mediaStorageSopClassUid: string | undefined;
  let warnedImplicit = false;
  while (pos + 8 <= bytes.length && view.getUint16(pos, true) === 0x0002) {
    const tag = 0x00020000 + view.getUint16(pos + 2, true);
    let length: number;
    let valueAt: number;
    if (isUpper(bytes[pos + 4]) && isUpper(bytes[pos + 5])) {
      const vr = String.fromCharCode(bytes[pos + 4] as number, bytes[pos + 5] as number);
      if (LONG_VRS.has(vr)) {
        if (pos + 12 > bytes.length) {
          throw new DecodeError('DECODE_TRUNCATED', fieldOf(tag), `the data ends at byte ${bytes.length}, inside the File Meta Information`);
        }
        length = view.getUint32(pos + 8, true);
        valueAt = pos + 12;
      } else {
        length = view.getUint16(pos + 6, true);
        valueAt = pos + 8;
      }
    } else {
      if (!warnedImplicit) {
        warnings.push({ code: 'META_IMPLICIT_VR', field: 'File Meta Information (PS3.10 §7.1)', message: 'the meta group is written in Implicit VR; PS3.10 requires Explicit VR Little Endian' });
        warnedImplicit = true;
      }
      length = view.getUint32(pos + 4, true);
      valueAt = pos + 8;
    }
    if (valueAt + length > bytes.length) {
      throw new DecodeError('DECODE_TRUNCATED', fieldOf(tag), `the data ends at byte ${bytes.length}, inside the File Meta Information`);
    }
    if (tag === TAG.TransferSyntaxUID) transferSyntaxUid = uidAt(bytes, valueAt, length) || undefined;
    if (tag === TAG.MediaStorageSOPClassUID) mediaStorageSopClassUid = uidAt(bytes, valueAt, length) || undefined;
    pos = valueAt + length;
  }
  if (pos + 8 > bytes.length) {
    throw new DecodeError('DECODE_TRUNCATED', 'File Meta Information (PS3.10 §7.1)', `the data ends at byte ${bytes.length}, before the data set`);
  }
  return { datasetOffset: pos, transferSyntaxUid, mediaStorageSopClassUid, hasMeta: true };
}
