import { parseHl7Location, toErrorLocation } from '../../ecg/decode/hl7/hl7-location';
import type { ErrorCode } from '../../errors/error-codes';
import { toGatewayError } from '../../errors/gateway-error';
import type { AckError, AckMode, AckOutcome, Hl7ErrorCondition } from './ack';

interface NakRule {
  outcome: Exclude<AckOutcome, 'accept'>;
  condition: Hl7ErrorCondition;
  /** Outcome in enhanced mode when it differs (store down: AR in original mode, CE in enhanced). */
  enhanced?: Exclude<AckOutcome, 'accept'>;
}

/**
 * standards.md §4.4: MSH-9/11/12 not acceptable → reject (AR/CR, 200–203); bad structure or
 * content → error (AE/CE, 100/101/102); store cannot commit → AR / CE with 207.
 */
const RULES: Partial<Record<ErrorCode, NakRule>> = {
  DECODE_UNSUPPORTED_MESSAGE_TYPE: { outcome: 'reject', condition: 200 },
  DECODE_UNSUPPORTED_PROCESSING_ID: { outcome: 'reject', condition: 202 },
  DECODE_UNSUPPORTED_VERSION: { outcome: 'reject', condition: 203 },
  STORE_UNAVAILABLE: { outcome: 'reject', condition: 207, enhanced: 'error' },
  DECODE_MALFORMED: { outcome: 'error', condition: 100 },
  DECODE_TRUNCATED: { outcome: 'error', condition: 100 },
  DECODE_FORMAT_UNKNOWN: { outcome: 'error', condition: 100 },
  DECODE_REQUIRED_FIELD_MISSING: { outcome: 'error', condition: 101 },
  DECODE_NO_WAVEFORM: { outcome: 'error', condition: 101 },
  DECODE_NOT_AN_ECG: { outcome: 'error', condition: 101 },
  DECODE_INVALID_VALUE: { outcome: 'error', condition: 102 },
  DECODE_WAVEFORM_INCONSISTENT: { outcome: 'error', condition: 102 },
  DECODE_UNSUPPORTED_ENCODING: { outcome: 'error', condition: 102 },
  INGEST_TOO_LARGE: { outcome: 'error', condition: 104 },
};

/** Anything else (a bug, an unexpected failure) is an error the sender should not resend blindly. */
const FALLBACK: NakRule = { outcome: 'error', condition: 207 };

export interface Nak {
  outcome: Exclude<AckOutcome, 'accept'>;
  error: AckError;
}

/**
 * The one place an error becomes an HL7 negative acknowledgement: MSA-1 outcome, ERR-2 location
 * from the error's field (`OBX[3]-5` → `OBX^3^5^1`), ERR-3 from table 0357, ERR-4 `E`, ERR-5 the
 * gateway code, ERR-8 the rule that was broken.
 */
export function errorToAck(err: unknown, mode: AckMode): Nak {
  const e = toGatewayError(err);
  let rule = RULES[e.code] ?? FALLBACK;
  // No readable MSH at all: nothing to route or identify, so the message is rejected, not errored.
  if (e.code === 'DECODE_MALFORMED' && (e.field === 'MSH' || e.field === 'MSH-2')) rule = { outcome: 'reject', condition: 100 };
  // MSH-9.2 is the trigger event: 201 "unsupported event code" rather than 200.
  if (e.code === 'DECODE_UNSUPPORTED_MESSAGE_TYPE' && e.field === 'MSH-9.2') rule = { outcome: 'reject', condition: 201 };
  const loc = e.field === undefined ? undefined : parseHl7Location(e.field);
  const error: AckError = {
    condition: rule.condition,
    severity: 'E',
    applicationCode: e.code,
    text: e.field === undefined ? e.message : `${e.field}: ${e.message}`,
  };
  if (loc) error.location = toErrorLocation(loc);
  return { outcome: mode === 'enhanced' && rule.enhanced ? rule.enhanced : rule.outcome, error };
}
