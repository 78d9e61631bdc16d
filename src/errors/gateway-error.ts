import { ERROR_CODES, type ErrorCode, type ErrorKind } from './error-codes';

export interface GatewayErrorOptions {
  /** Where the problem is, in the source's own notation: `OBX[3]-5`, `WaveformSequence (5400,0100)`. */
  field?: string;
  cause?: unknown;
}

/**
 * The one error type of the gateway. The message names the broken rule, never patient values.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.kind = ERROR_CODES[code].kind;
    this.field = options.field;
  }
}

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}

/** Narrows anything thrown into a GatewayError (unknown errors become INTERNAL, message kept generic). */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError('INTERNAL', err instanceof Error ? `internal error: ${err.name}` : 'internal error', {
    cause: err,
  });
}
