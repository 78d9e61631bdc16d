import { assembleRecord } from '../../assemble-record';
import type { DecodeWarning, EcgRecord } from '../../record';
import { DecodeError } from '../decode-error';
import { decodeGroupLeads } from './decode-group-leads';
import type { DicomFile } from './read-dicom-dataset';
import { fieldOf, TAG } from './dicom-tags';
import { asciiOf } from './dicom-values';
import { isDedicatedEcgSopClass, isEcgWaveformSopClass, type EcgWaveformSopClass } from './ecg-sop-classes';
import { readAcquisitionTime } from './read-acquisition-time';
import { readDicomDataset } from './read-dicom-dataset';
import { readDicomIdentifiers } from './read-dicom-identifiers';
import { channelClassifier, readMultiplexGroups } from './read-multiplex-groups';
import { readPart10Header, type Part10Header } from './read-part10-header';
import { readWaveformAnnotations } from './read-waveform-annotations';
import { selectMultiplexGroup } from './select-multiplex-group';
import { specificCharacterSetOf } from './specific-character-set';
import { isReadableTransferSyntax } from './transfer-syntaxes';

function readFile(header: Part10Header, warnings: DecodeWarning[]): DicomFile {
  try {
    return readDicomDataset(header, warnings);
  } catch (err: unknown) {
    // A data set we cannot walk is reported as "not an ECG" when the meta header already says so.
    const sopClass = header.mediaStorageSopClassUid;
    if (err instanceof DecodeError && sopClass !== undefined && !isEcgWaveformSopClass(sopClass)) {
      throw new DecodeError('DECODE_NOT_AN_ECG', fieldOf(TAG.MediaStorageSOPClassUID), 'the SOP class is not an ECG waveform class', err);
    }
    throw err;
  }
}

function ecgSopClassOf(file: DicomFile, header: Part10Header, warnings: DecodeWarning[]): EcgWaveformSopClass {
  const field = fieldOf(TAG.SOPClassUID);
  let uid = asciiOf(file.dataset, TAG.SOPClassUID);
  if (uid === undefined && header.mediaStorageSopClassUid !== undefined) {
    warnings.push({ code: 'SOP_CLASS_FROM_META', field, message: 'missing from the data set; taken from Media Storage SOP Class UID (0002,0002)' });
    uid = header.mediaStorageSopClassUid;
  }
  if (uid === undefined) throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', field, 'required (PS3.3 C.12.1) to tell an ECG waveform');
  if (!isEcgWaveformSopClass(uid)) throw new DecodeError('DECODE_NOT_AN_ECG', field, 'the SOP class is not an ECG waveform class (12-lead, General, Ambulatory ECG or Hemodynamic)');
  if (header.mediaStorageSopClassUid !== undefined && header.mediaStorageSopClassUid !== uid) {
    warnings.push({ code: 'SOP_CLASS_MISMATCH', field, message: 'differs from Media Storage SOP Class UID (0002,0002); the data set value is used' });
  }
  return uid;
}

/**
 * Decodes a DICOM waveform object (12-lead, General or Ambulatory ECG, or the ECG leads of a
 * Hemodynamic waveform) into an EcgRecord in µV: the RHYTHM multiplex group, device measurements
 * from the annotations, patient/order identifiers, acquisition time.
 * Throws DECODE_NOT_AN_ECG, DECODE_UNSUPPORTED_ENCODING, DECODE_MALFORMED, DECODE_TRUNCATED,
 * DECODE_REQUIRED_FIELD_MISSING, DECODE_INVALID_VALUE, DECODE_WAVEFORM_INCONSISTENT, DECODE_NO_WAVEFORM.
 *
 * Warnings (code + DICOM field, never a value): PART10_PREAMBLE_MISSING, PART10_HEADER_MISSING,
 * META_IMPLICIT_VR, TRANSFER_SYNTAX_MISSING, TRANSFER_SYNTAX_MISMATCH, SOP_CLASS_FROM_META,
 * SOP_CLASS_MISMATCH, CHARSET_UNSUPPORTED, MULTIPLEX_GROUP_UNLABELLED, NON_ECG_CHANNEL_SKIPPED,
 * DUPLICATE_LEAD, CHANNEL_STATUS, SENSITIVITY_UNIT_BY_MEANING, BITS_STORED_MISSING,
 * WAVEFORM_DATA_LONGER, PADDING_VALUE_IGNORED, PADDING_SAMPLES (absent samples become 0 µV; the
 * count is in the message), DS_MALFORMED, DS_INVALID, UID_MALFORMED, DATE_MALFORMED,
 * DATETIME_MALFORMED, MEASUREMENT_UNIT_MISMATCH, MEASUREMENT_DUPLICATE.
 */
export function decodeDicom(bytes: Uint8Array): EcgRecord {
  const warnings: DecodeWarning[] = [];
  const header = readPart10Header(bytes, warnings);
  const file = readFile(header, warnings);
  const { dataset } = file;
  const sopClass = ecgSopClassOf(file, header, warnings);
  if (!isReadableTransferSyntax(file.transferSyntaxUid)) {
    throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', fieldOf(TAG.TransferSyntaxUID), 'waveforms are read in Implicit/Explicit VR Little Endian, Deflated or Explicit VR Big Endian only');
  }

  const decode = specificCharacterSetOf(dataset, warnings);
  const channelsOf = channelClassifier(decode, isDedicatedEcgSopClass(sopClass));
  const group = selectMultiplexGroup(readMultiplexGroups(dataset, decode), channelsOf, warnings);
  const signals = decodeGroupLeads(group, channelsOf(group), dataset.source.littleEndian, decode, warnings);
  const measurements = readWaveformAnnotations(dataset, decode, warnings);
  const { patient, order, source } = readDicomIdentifiers(dataset, decode, file.transferSyntaxUid, warnings);
  order.sopClassUid = sopClass;
  const acquisitionTime = readAcquisitionTime(dataset, signals.timeOffsetMs, warnings);

  return assembleRecord(
    {
      format: 'dicom',
      sampleRateHz: signals.sampleRateHz,
      leads: signals.leads,
      ...(acquisitionTime === undefined ? {} : { acquisitionTime }),
      patient,
      order,
      measurements,
      source,
      warnings,
    },
    fieldOf(TAG.WaveformSequence, group.number),
  );
}
