import type { DecodeWarning } from '../../record';
import type { DicomDataset } from './dicom-dataset';
import { fieldOf, TAG } from './dicom-tags';
import { inflateDeflatedDataset } from './inflate-deflated-dataset';
import { readDicomElements } from './read-dicom-elements';
import type { Part10Header } from './read-part10-header';
import { datasetEncodingOf, READABLE_TRANSFER_SYNTAXES } from './transfer-syntaxes';

export interface DicomFile {
  dataset: DicomDataset;
  /** The transfer syntax the data set was read with (declared, or assumed with a warning). */
  transferSyntaxUid: string;
}

function isUpper(b: number | undefined): boolean {
  return b !== undefined && b >= 65 && b <= 90;
}

/** Whether the first element at `offset` carries an Explicit VR (two upper-case letters after the tag). */
function looksExplicit(bytes: Uint8Array, offset: number): boolean {
  return isUpper(bytes[offset + 4]) && isUpper(bytes[offset + 5]);
}

/**
 * Reads the data set after the File Meta Information with the declared transfer syntax
 * (inflating PS3.5 A.5 deflate first). When the syntax is missing, or the first element
 * contradicts an Explicit VR one, the VR style is taken from the bytes, with a warning.
 * Throws DECODE_TRUNCATED and DECODE_MALFORMED naming the element.
 */
export function readDicomDataset(bytes: Uint8Array, header: Part10Header, warnings: DecodeWarning[]): DicomFile {
  let transferSyntaxUid = header.transferSyntaxUid;
  if (transferSyntaxUid === undefined) {
    transferSyntaxUid = looksExplicit(bytes, header.datasetOffset)
      ? READABLE_TRANSFER_SYNTAXES.explicitVrLittleEndian
      : READABLE_TRANSFER_SYNTAXES.implicitVrLittleEndian;
    if (header.hasMeta) {
      warnings.push({ code: 'TRANSFER_SYNTAX_MISSING', field: fieldOf(TAG.TransferSyntaxUID), message: `no transfer syntax in the meta header; read as ${transferSyntaxUid} from the data` });
    }
  }
  const encoding = datasetEncodingOf(transferSyntaxUid);
  let data = bytes;
  let start = header.datasetOffset;
  if (encoding.deflated) {
    data = inflateDeflatedDataset(bytes, start);
    start = 0;
  }
  let explicitVr = encoding.explicitVr;
  if (explicitVr && encoding.littleEndian && data.length >= start + 8 && !looksExplicit(data, start)) {
    // Some writers declare Explicit VR LE and write Implicit VR; the first header tells.
    warnings.push({ code: 'TRANSFER_SYNTAX_MISMATCH', field: fieldOf(TAG.TransferSyntaxUID), message: 'declared Explicit VR but the data set is Implicit VR; read as Implicit VR Little Endian' });
    explicitVr = false;
  }
  const source = { bytes: data, view: new DataView(data.buffer, data.byteOffset, data.byteLength), littleEndian: encoding.littleEndian };
  return { dataset: readDicomElements(source, start, explicitVr), transferSyntaxUid };
}
