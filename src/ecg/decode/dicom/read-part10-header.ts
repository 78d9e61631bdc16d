import * as dicomParser from 'dicom-parser';
import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { callDicomParser } from './call-dicom-parser';
import { DicomDataset } from './dicom-dataset';
import { dicomParserRuntime, implicitVr, type MetaDataSet } from './dicom-parser-runtime';
import { TAG } from './dicom-tags';
import { asciiOf } from './dicom-values';

export interface Part10Header {
  /** The bytes to parse: the input, or a copy with the preamble and DICM prefix restored. */
  bytes: Uint8Array;
  /** Byte offset in `bytes` where the data set (after the File Meta Information) starts. */
  datasetOffset: number;
  /** (0002,0010), padding removed; undefined when there is no meta header or it lacks one. */
  transferSyntaxUid: string | undefined;
  /** (0002,0002), for a clearer error when the data set itself cannot be read. */
  mediaStorageSopClassUid: string | undefined;
  /** Whether a File Meta Information group was present at all. */
  hasMeta: boolean;
  /** Whether the meta group is Explicit VR Little Endian, as PS3.10 §7.1 requires and parseDicom assumes. */
  explicitMeta: boolean;
}

const PREAMBLE_LENGTH = 128;
const DICM = [0x44, 0x49, 0x43, 0x4d];
const META_START = PREAMBLE_LENGTH + DICM.length;
const META = 'File Meta Information (PS3.10 §7.1)';
const LAST_META_KEY = 'x0002ffff';

function isUpper(b: number | undefined): boolean {
  return b !== undefined && b >= 65 && b <= 90;
}

/** PS3.10 §7.1: a copy with the 128-byte preamble and "DICM" a writer left out, so dicom-parser reads it as Part 10. */
function withPreamble(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(META_START + bytes.length);
  out.set(DICM, PREAMBLE_LENGTH);
  out.set(bytes, META_START);
  return out;
}

/** A meta group in Implicit VR (against PS3.10 §7.1), read with dicom-parser's element reader up to the first tag past group 0002. */
function readImplicitMeta(bytes: Uint8Array): MetaDataSet {
  const parser = dicomParser.littleEndianByteArrayParser;
  const stream = new dicomParser.ByteStream(parser, bytes, META_START);
  const meta: MetaDataSet = Object.assign(new dicomParserRuntime.DataSet(parser, bytes, {}), { position: META_START, warnings: stream.warnings });
  while (stream.position + 4 <= bytes.length) {
    const tag = dicomParser.readTag(stream);
    stream.seek(-4);
    if (tag > LAST_META_KEY) break;
    const element = dicomParserRuntime.readDicomElementImplicit(stream, undefined, implicitVr);
    meta.elements[element.tag] = element;
  }
  meta.position = stream.position;
  return meta;
}

/**
 * Reads the PS3.10 §7.1 File Meta Information with dicom-parser: a 128-byte preamble, "DICM", then
 * group 0002 in Explicit VR Little Endian. Tolerates (with a warning) a missing preamble, a bare data
 * set, and a meta group written in Implicit VR. Throws DECODE_TRUNCATED, DECODE_MALFORMED.
 */
export function readPart10Header(bytes: Uint8Array, warnings: DecodeWarning[]): Part10Header {
  let input = bytes;
  if (!(bytes.length >= META_START && DICM.every((b, i) => bytes[PREAMBLE_LENGTH + i] === b))) {
    if (!(bytes.length >= 8 && bytes[0] === 0x02 && bytes[1] === 0x00)) {
      warnings.push({ code: 'PART10_HEADER_MISSING', field: META, message: 'no preamble or File Meta Information; read as a bare data set' });
      return { bytes, datasetOffset: 0, transferSyntaxUid: undefined, mediaStorageSopClassUid: undefined, hasMeta: false, explicitMeta: false };
    }
    warnings.push({ code: 'PART10_PREAMBLE_MISSING', field: 'DICOM preamble (PS3.10 §7.1)', message: 'the file starts at the File Meta Information, without preamble and DICM prefix' });
    input = withPreamble(bytes);
  }
  if (input.length < META_START + 8) throw new DecodeError('DECODE_TRUNCATED', META, `the data ends at byte ${bytes.length}, before the data set`);

  const explicitMeta = isUpper(input[META_START + 4]) && isUpper(input[META_START + 5]);
  if (!explicitMeta) {
    warnings.push({ code: 'META_IMPLICIT_VR', field: META, message: 'the meta group is written in Implicit VR; PS3.10 requires Explicit VR Little Endian' });
  }
  const meta = callDicomParser({ field: META, explicitVr: explicitMeta, start: META_START }, () =>
    explicitMeta ? dicomParserRuntime.readPart10Header(input) : readImplicitMeta(input),
  );
  if (meta.position + 8 > input.length) {
    throw new DecodeError('DECODE_TRUNCATED', META, `the data ends at byte ${bytes.length}, before the data set`);
  }
  // PS3.10 §7.1: the meta group is Little Endian whatever the transfer syntax.
  const values = new DicomDataset({ bytes: input, view: new DataView(input.buffer, input.byteOffset, input.byteLength), littleEndian: true }, meta.elements);
  return {
    bytes: input,
    datasetOffset: meta.position,
    transferSyntaxUid: asciiOf(values, TAG.TransferSyntaxUID),
    mediaStorageSopClassUid: asciiOf(values, TAG.MediaStorageSOPClassUID),
    hasMeta: true,
    explicitMeta,
  };
}
