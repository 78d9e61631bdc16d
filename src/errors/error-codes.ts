/**
 * The catalogue of stable error codes. Each edge (HL7 ACK, DICOM status, HTTP problem+json,
 * CLI) translates a code in one file of its own; the core only throws.
 * Append new codes; never rename one (operators and dashboards key on them).
 */
export type ErrorKind = 'bad-input' | 'unsupported' | 'transient' | 'internal';

export const ERROR_CODES = {
  CONFIG_INVALID: { kind: 'bad-input', title: 'Invalid configuration' },

  DECODE_FORMAT_UNKNOWN: { kind: 'unsupported', title: 'Unrecognised ECG format' },
  DECODE_NOT_AN_ECG: { kind: 'unsupported', title: 'Not an ECG' },
  DECODE_UNSUPPORTED_ENCODING: { kind: 'unsupported', title: 'Unsupported encoding' },
  DECODE_UNSUPPORTED_MESSAGE_TYPE: { kind: 'unsupported', title: 'Unsupported message type' },
  DECODE_UNSUPPORTED_VERSION: { kind: 'unsupported', title: 'Unsupported version' },
  DECODE_UNSUPPORTED_PROCESSING_ID: { kind: 'unsupported', title: 'Unsupported processing id' },
  DECODE_MALFORMED: { kind: 'bad-input', title: 'Malformed structure' },
  DECODE_TRUNCATED: { kind: 'bad-input', title: 'Truncated input' },
  DECODE_REQUIRED_FIELD_MISSING: { kind: 'bad-input', title: 'Required field missing' },
  DECODE_INVALID_VALUE: { kind: 'bad-input', title: 'Invalid value' },
  DECODE_WAVEFORM_INCONSISTENT: { kind: 'bad-input', title: 'Inconsistent waveform data' },
  DECODE_NO_WAVEFORM: { kind: 'bad-input', title: 'No ECG waveform' },

  INGEST_TOO_LARGE: { kind: 'bad-input', title: 'Message too large' },
  INGEST_UNSUPPORTED_MEDIA_TYPE: { kind: 'unsupported', title: 'Unsupported media type' },
  INGEST_CALLING_AE_NOT_ALLOWED: { kind: 'bad-input', title: 'Calling AE title not allowed' },
  INGEST_SOP_CLASS_NOT_SUPPORTED: { kind: 'unsupported', title: 'SOP class not supported' },
  INGEST_TRANSFER_SYNTAX_NOT_SUPPORTED: { kind: 'unsupported', title: 'Transfer syntax not supported' },
  INGEST_DATASET_MISMATCH: { kind: 'bad-input', title: 'Dataset does not match the request' },
  INGEST_MULTIPART_MALFORMED: { kind: 'bad-input', title: 'Malformed multipart body' },
  SEND_PEER_UNREACHABLE: { kind: 'transient', title: 'Peer unreachable' },
  STORE_UNAVAILABLE: { kind: 'transient', title: 'Store cannot commit' },
  STORE_CLAIM_LOST: { kind: 'transient', title: 'Claim lost to another worker' },
  MESSAGE_STATE_CONFLICT: { kind: 'bad-input', title: 'Message state does not allow this' },

  MODEL_MANIFEST_INVALID: { kind: 'bad-input', title: 'Invalid model manifest' },
  MODEL_CHECKSUM_MISMATCH: { kind: 'bad-input', title: 'Model checksum mismatch' },
  MODEL_IO_MISMATCH: { kind: 'bad-input', title: 'Model inputs/outputs do not match the manifest' },
  MODEL_NOT_FOUND: { kind: 'bad-input', title: 'Model not found' },
  MODEL_LOAD_FAILED: { kind: 'bad-input', title: 'Model file cannot be loaded' },
  SIGNAL_QUALITY_INSUFFICIENT: { kind: 'bad-input', title: 'Signal quality insufficient' },
  SIGNAL_LEAD_UNAVAILABLE: { kind: 'bad-input', title: 'Lead unavailable' },
  INFERENCE_FAILED: { kind: 'internal', title: 'Inference failed' },

  FHIR_REJECTED: { kind: 'bad-input', title: 'EHR rejected the resources' },
  FHIR_UNAVAILABLE: { kind: 'transient', title: 'EHR unavailable' },
  FHIR_AUTH_FAILED: { kind: 'transient', title: 'EHR authentication failed' },
  FHIR_AUTH_REJECTED: { kind: 'bad-input', title: 'EHR authorization server refused the client' },
  FHIR_MAPPING_FAILED: { kind: 'bad-input', title: 'ECG or results cannot be mapped to FHIR' },
  FHIR_RETRIES_EXHAUSTED: { kind: 'transient', title: 'EHR still unavailable after the last retry' },

  API_NOT_FOUND: { kind: 'bad-input', title: 'Not found' },
  API_BAD_REQUEST: { kind: 'bad-input', title: 'Bad request' },
  API_UNAUTHORIZED: { kind: 'bad-input', title: 'Unauthorized' },
  AUTH_REQUIRED: { kind: 'bad-input', title: 'Authentication required' },
  AUTH_CSRF_HEADER_MISSING: { kind: 'bad-input', title: 'X-Requested-With header required with a session cookie' },
  AUTH_TOKEN_EXISTS: { kind: 'bad-input', title: 'A token with this name exists' },
  AUTH_TOKEN_NOT_FOUND: { kind: 'bad-input', title: 'No active token with this name' },
  AUDIT_UNAVAILABLE: { kind: 'internal', title: 'Audit trail cannot be written' },
  CLI_USAGE: { kind: 'bad-input', title: 'Usage error' },
  FILE_UNREADABLE: { kind: 'bad-input', title: 'File unreadable' },
  INTERNAL: { kind: 'internal', title: 'Internal error' },
} as const satisfies Record<string, { kind: ErrorKind; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
