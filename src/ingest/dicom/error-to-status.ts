import type { ErrorCode, ErrorKind } from '../../errors/error-codes';
import { toGatewayError } from '../../errors/gateway-error';

/** C-STORE statuses the gateway sends (PS3.4 Table B.2-1, PS3.7 Annex C). */
export const STORE_STATUS = {
  success: 0x0000,
  /** Refused: Out of Resources — the store cannot commit now; the sender retries. */
  outOfResources: 0xa700,
  /** Error: Data Set does not match SOP Class — not an ECG the gateway can read. */
  datasetDoesNotMatchSopClass: 0xa900,
  /** Error: Cannot understand — the dataset cannot be parsed. */
  cannotUnderstand: 0xc000,
  /** Failure: Referenced SOP Class not supported (STOW-RS Failure Reason 290). */
  sopClassNotSupported: 0x0122,
  /** STOW-RS Failure Reason C122: Referenced Transfer Syntax not supported (PS3.18 Table I.2-2). */
  transferSyntaxNotSupported: 0xc122,
  /** Failure: Processing failure — an unexpected internal error. */
  processingFailure: 0x0110,
} as const;

export type StoreStatus = (typeof STORE_STATUS)[keyof typeof STORE_STATUS];

const BY_CODE: Partial<Record<ErrorCode, StoreStatus>> = {
  STORE_UNAVAILABLE: STORE_STATUS.outOfResources,
  INGEST_TOO_LARGE: STORE_STATUS.outOfResources,
  DECODE_MALFORMED: STORE_STATUS.cannotUnderstand,
  DECODE_TRUNCATED: STORE_STATUS.cannotUnderstand,
  DECODE_FORMAT_UNKNOWN: STORE_STATUS.cannotUnderstand,
  DECODE_NOT_AN_ECG: STORE_STATUS.datasetDoesNotMatchSopClass,
  DECODE_NO_WAVEFORM: STORE_STATUS.datasetDoesNotMatchSopClass,
  DECODE_REQUIRED_FIELD_MISSING: STORE_STATUS.datasetDoesNotMatchSopClass,
  DECODE_INVALID_VALUE: STORE_STATUS.datasetDoesNotMatchSopClass,
  DECODE_WAVEFORM_INCONSISTENT: STORE_STATUS.datasetDoesNotMatchSopClass,
  DECODE_UNSUPPORTED_ENCODING: STORE_STATUS.datasetDoesNotMatchSopClass,
  INGEST_DATASET_MISMATCH: STORE_STATUS.datasetDoesNotMatchSopClass,
  INGEST_SOP_CLASS_NOT_SUPPORTED: STORE_STATUS.sopClassNotSupported,
  INGEST_TRANSFER_SYNTAX_NOT_SUPPORTED: STORE_STATUS.transferSyntaxNotSupported,
};

const BY_KIND: Record<ErrorKind, StoreStatus> = {
  'bad-input': STORE_STATUS.datasetDoesNotMatchSopClass,
  unsupported: STORE_STATUS.datasetDoesNotMatchSopClass,
  transient: STORE_STATUS.outOfResources,
  internal: STORE_STATUS.processingFailure,
};

/** PS3.7 §9.1.1.1.9 / C.5: Error Comment (0000,0902) is LO, at most 64 characters, no backslash or control characters. */
const ERROR_COMMENT_MAX = 64;

export interface StoreStatusAnswer {
  status: StoreStatus;
  /** The error code and field only: never patient values, never free decoder text. */
  errorComment: string;
}

/**
 * The DICOM edge's one translation: any error from ingest, decode or the store → a C-STORE
 * status (also the STOW-RS Failure Reason, PS3.18 Table I.2-2 uses the same codes) and an
 * Error Comment.
 */
export function errorToStoreStatus(err: unknown): StoreStatusAnswer {
  const e = toGatewayError(err);
  const status = BY_CODE[e.code] ?? BY_KIND[e.kind];
  const comment = `${e.code}${e.field === undefined ? '' : ` ${e.field}`}`.replace(/[^\x20-\x5b\x5d-\x7e]/g, '?');
  return { status, errorComment: comment.slice(0, ERROR_COMMENT_MAX) };
}

/** Four hex digits, as DICOM tools print a status (A900, 0000). */
export function formatStatus(status: number): string {
  return status.toString(16).toUpperCase().padStart(4, '0');
}
