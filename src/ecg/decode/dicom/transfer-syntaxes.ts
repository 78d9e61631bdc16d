/** How a transfer syntax lays out the data set (PS3.5 §10, Annex A). */
export interface DatasetEncoding {
  explicitVr: boolean;
  littleEndian: boolean;
  /** RFC 1951 raw deflate over everything after the File Meta Information (PS3.5 A.5). */
  deflated: boolean;
}

/** Transfer syntaxes whose waveform data the decoder can read: native (uncompressed) encodings only. */
export const READABLE_TRANSFER_SYNTAXES = {
  implicitVrLittleEndian: '1.2.840.10008.1.2',
  explicitVrLittleEndian: '1.2.840.10008.1.2.1',
  deflatedExplicitVrLittleEndian: '1.2.840.10008.1.2.1.99',
  /** Retired in PS3.5 2004, still sent by old carts. */
  explicitVrBigEndian: '1.2.840.10008.1.2.2',
} as const;

export type ReadableTransferSyntax = (typeof READABLE_TRANSFER_SYNTAXES)[keyof typeof READABLE_TRANSFER_SYNTAXES];

const ENCODINGS: ReadonlyMap<string, DatasetEncoding> = new Map([
  [READABLE_TRANSFER_SYNTAXES.implicitVrLittleEndian, { explicitVr: false, littleEndian: true, deflated: false }],
  [READABLE_TRANSFER_SYNTAXES.explicitVrLittleEndian, { explicitVr: true, littleEndian: true, deflated: false }],
  [READABLE_TRANSFER_SYNTAXES.deflatedExplicitVrLittleEndian, { explicitVr: true, littleEndian: true, deflated: true }],
  [READABLE_TRANSFER_SYNTAXES.explicitVrBigEndian, { explicitVr: true, littleEndian: false, deflated: false }],
]);

/** PS3.5 §10: every other (compressed pixel) transfer syntax encodes the data set as Explicit VR LE. */
const OTHER_TRANSFER_SYNTAX: DatasetEncoding = { explicitVr: true, littleEndian: true, deflated: false };

export function isReadableTransferSyntax(uid: string): uid is ReadableTransferSyntax {
  return ENCODINGS.has(uid);
}

/** The data set layout for a transfer syntax; unknown (compressed) syntaxes still have an Explicit VR LE data set. */
export function datasetEncodingOf(uid: string): DatasetEncoding {
  return ENCODINGS.get(uid) ?? OTHER_TRANSFER_SYNTAX;
}
