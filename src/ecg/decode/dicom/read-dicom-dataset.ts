import * as dicomParser from 'dicom-parser';
import type { DecodeWarning } from '../../record';
import { callDicomParser, type ParseTarget } from './call-dicom-parser';
import { DicomDataset } from './dicom-dataset';
import { dicomParserRuntime, implicitVr } from './dicom-parser-runtime';
import { fieldOf, TAG } from './dicom-tags';
import { inflateDeflatedDataset } from './inflate-deflated-dataset';
import type { Part10Header } from './read-part10-header';
import { datasetEncodingOf, READABLE_TRANSFER_SYNTAXES, type DatasetEncoding } from './transfer-syntaxes';

export interface DicomFile {
  dataset: DicomDataset;
  /** The transfer syntax the data set was read with (declared, or assumed with a warning). */
  transferSyntaxUid: string;
}

const DATA_SET = 'DICOM data set';
const FIRST_DATASET_KEY = 'x00030000';

function isUpper(b: number | undefined): boolean {
  return b !== undefined && b >= 65 && b <= 90;
}

/** Whether the first element at `offset` carries an Explicit VR (two upper-case letters after the tag). */
function looksExplicit(bytes: Uint8Array, offset: number): boolean {
  return isUpper(bytes[offset + 4]) && isUpper(bytes[offset + 5]);
}

/** A standard Part 10 file: dicom-parser reads the meta group, picks the transfer syntax and inflates. */
function parsePart10(header: Part10Header, encoding: DatasetEncoding): dicomParser.DataSet {
  const target: ParseTarget = { field: DATA_SET, explicitVr: encoding.explicitVr, start: encoding.deflated ? 0 : header.datasetOffset };
  return callDicomParser(target, () => {
    const dataSet = dicomParser.parseDicom(header.bytes, { inflater: inflateDeflatedDataset, vrCallback: implicitVr });
    // parseDicom merges the meta group in, with offsets into the file even when the data set is the
    // inflated copy; the meta group was read on its own.
    for (const key of Object.keys(dataSet.elements)) if (key < FIRST_DATASET_KEY) delete dataSet.elements[key];
    return dataSet;
  });
}

/**
 * A data set parseDicom cannot be pointed at (no meta group, no or a wrong transfer syntax, meta in
 * Implicit VR): read from `offset` with dicom-parser's data-set parsers, as its maintainers advise for
 * non-Part 10 input (cornerstonejs/dicomParser#12).
 */
function parseDataSetAt(bytes: Uint8Array, offset: number, encoding: DatasetEncoding): dicomParser.DataSet {
  const data = encoding.deflated ? inflateDeflatedDataset(bytes, offset) : bytes;
  const start = encoding.deflated ? 0 : offset;
  const parser = encoding.littleEndian ? dicomParser.littleEndianByteArrayParser : dicomParser.bigEndianByteArrayParser;
  const dataSet = new dicomParserRuntime.DataSet(parser, data, {});
  dataSet.warnings = [];
  if (start >= data.length) return dataSet;
  const target: ParseTarget = { field: DATA_SET, explicitVr: encoding.explicitVr, start };
  return callDicomParser(
    target,
    () => {
      const stream = new dicomParser.ByteStream(parser, data, start);
      dataSet.warnings = stream.warnings;
      if (encoding.explicitVr) dicomParser.parseDicomDataSetExplicit(dataSet, stream, data.length);
      else dicomParserRuntime.parseDicomDataSetImplicit(dataSet, stream, data.length, { vrCallback: implicitVr });
      return dataSet;
    },
    dataSet,
  );
}

/**
 * Reads the data set after the File Meta Information with dicom-parser, in the declared transfer
 * syntax (PS3.5 A.5 deflate inflated with pako). When the syntax is missing, or the first element
 * contradicts an Explicit VR one, the VR style is taken from the bytes, with a warning.
 * Throws DECODE_TRUNCATED and DECODE_MALFORMED naming the element.
 */
export function readDicomDataset(header: Part10Header, warnings: DecodeWarning[]): DicomFile {
  const { bytes, datasetOffset } = header;
  let transferSyntaxUid = header.transferSyntaxUid;
  if (transferSyntaxUid === undefined) {
    transferSyntaxUid = looksExplicit(bytes, datasetOffset)
      ? READABLE_TRANSFER_SYNTAXES.explicitVrLittleEndian
      : READABLE_TRANSFER_SYNTAXES.implicitVrLittleEndian;
    if (header.hasMeta) {
      warnings.push({ code: 'TRANSFER_SYNTAX_MISSING', field: fieldOf(TAG.TransferSyntaxUID), message: `no transfer syntax in the meta header; read as ${transferSyntaxUid} from the data` });
    }
  }
  const declared = datasetEncodingOf(transferSyntaxUid);
  let encoding = declared;
  if (declared.explicitVr && declared.littleEndian && !declared.deflated && bytes.length >= datasetOffset + 8 && !looksExplicit(bytes, datasetOffset)) {
    // Some writers declare Explicit VR LE and write Implicit VR; the first header tells.
    warnings.push({ code: 'TRANSFER_SYNTAX_MISMATCH', field: fieldOf(TAG.TransferSyntaxUID), message: 'declared Explicit VR but the data set is Implicit VR; read as Implicit VR Little Endian' });
    encoding = { ...declared, explicitVr: false };
  }
  const standard = header.explicitMeta && header.transferSyntaxUid !== undefined && encoding === declared;
  const dataSet = standard ? parsePart10(header, encoding) : parseDataSetAt(bytes, datasetOffset, encoding);
  const data = dataSet.byteArray;
  const source = { bytes: data, view: new DataView(data.buffer, data.byteOffset, data.byteLength), littleEndian: encoding.littleEndian };
  return { dataset: new DicomDataset(source, dataSet.elements), transferSyntaxUid };
}
