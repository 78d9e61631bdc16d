import { parseDicom, type DataSet } from 'dicom-parser';
import { DecodeError } from '../../ecg/decode/decode-error';

/** What the edges need to know about a PS3.10 file before handing it to the store. */
export interface DicomIdentity {
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid?: string;
  /** (0002,0002) / (0002,0003) as the File Meta states them. */
  mediaStorageSopClassUid?: string;
  mediaStorageSopInstanceUid?: string;
}

function text(ds: DataSet, tag: string): string | undefined {
  const v = ds.string(tag)?.replace(/[\0\s]+$/, '').trim();
  return v === undefined || v === '' ? undefined : v;
}

function required(ds: DataSet, tag: string, field: string): string {
  const v = text(ds, tag);
  if (v === undefined) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', field, `${field} is required and absent or empty`);
  return v;
}

/**
 * Reads the transfer syntax and the SOP/Study identifiers of a PS3.10 file (preamble, "DICM",
 * File Meta, dataset in any transfer syntax dicom-parser reads, deflate included).
 * Throws DecodeError: DECODE_MALFORMED (not a parseable PS3.10 file),
 * DECODE_REQUIRED_FIELD_MISSING (no Transfer Syntax, SOP Class or SOP Instance UID).
 */
export function readDicomIdentity(file: Uint8Array): DicomIdentity {
  let ds: DataSet;
  try {
    // Stop at Series Instance UID (0020,000E), Type 1 in every ECG IOD: the identifiers precede it
    // and the waveform and annotation sequences follow it. Without it the whole file is parsed.
    ds = parseDicom(file, { untilTag: 'x0020000e' });
  } catch (err: unknown) {
    // dicom-parser throws strings as well as Errors; keep only a generic reason (no values).
    const reason = typeof err === 'string' ? err : err instanceof Error ? err.message : 'unknown parse error';
    throw new DecodeError('DECODE_MALFORMED', 'PS3.10 file', `not a parseable DICOM PS3.10 file: ${reason.slice(0, 160)}`, err);
  }
  const identity: DicomIdentity = {
    transferSyntaxUid: required(ds, 'x00020010', 'TransferSyntaxUID (0002,0010)'),
    sopClassUid: required(ds, 'x00080016', 'SOPClassUID (0008,0016)'),
    sopInstanceUid: required(ds, 'x00080018', 'SOPInstanceUID (0008,0018)'),
  };
  const study = text(ds, 'x0020000d');
  if (study !== undefined) identity.studyInstanceUid = study;
  const metaClass = text(ds, 'x00020002');
  if (metaClass !== undefined) identity.mediaStorageSopClassUid = metaClass;
  const metaInstance = text(ds, 'x00020003');
  if (metaInstance !== undefined) identity.mediaStorageSopInstanceUid = metaInstance;
  return identity;
}
