import type { EcgRecord } from '../record';
import { decodeAecg } from './aecg/decode-aecg';
import { DecodeError } from './decode-error';
import { detectFormat } from './detect-format';
import { decodeDicom } from './dicom/decode-dicom';
import { decodeHl7 } from './hl7/decode-hl7';
import { decodeWfdb } from './wfdb/decode-wfdb';

/** Reads a file that belongs to the same record (WFDB signal files); injected so decoding stays pure. */
export type CompanionReader = (name: string) => Uint8Array;

export interface EcgInput {
  bytes: Uint8Array;
  readCompanion?: CompanionReader;
}

/** Decodes a payload nested in another message (HL7 OBX ED): DICOM or aECG. */
export function decodeNested(bytes: Uint8Array, field: string): EcgRecord {
  const format = detectFormat(bytes);
  if (format === 'dicom') return decodeDicom(bytes);
  if (format === 'aecg') return decodeAecg(bytes);
  throw new DecodeError('DECODE_FORMAT_UNKNOWN', field, 'embedded data is neither DICOM nor HL7 aECG');
}

/**
 * Decodes any supported ECG into an EcgRecord; the format is detected from content.
 * Throws DecodeError (DECODE_FORMAT_UNKNOWN, DECODE_UNSUPPORTED_ENCODING, and each decoder's codes).
 */
export function decodeEcg(input: EcgInput): EcgRecord {
  const format = detectFormat(input.bytes);
  switch (format) {
    case 'dicom':
      return decodeDicom(input.bytes);
    case 'hl7v2':
      return decodeHl7(input.bytes, decodeNested);
    case 'aecg':
      return decodeAecg(input.bytes);
    case 'wfdb':
      if (!input.readCompanion) {
        throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', 'WFDB header', 'a WFDB record needs its signal files beside the header');
      }
      return decodeWfdb(input.bytes, input.readCompanion);
    case 'scp-ecg':
    case 'ge-muse':
    case 'philips-xml':
      throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', 'file', `${format} is recognised but not decoded by this version`);
    case undefined:
      throw new DecodeError('DECODE_FORMAT_UNKNOWN', 'file', 'not DICOM, HL7 v2, HL7 aECG or WFDB');
  }
}
