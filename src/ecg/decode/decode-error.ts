import { GatewayError } from '../../errors/gateway-error';
import type { ErrorCode } from '../../errors/error-codes';

/** Thrown by every decoder: a code from the catalogue, the field in the source's notation, the rule broken. */
export class DecodeError extends GatewayError {
  constructor(code: ErrorCode, field: string, message: string, cause?: unknown) {
    super(code, message, cause === undefined ? { field } : { field, cause });
    this.name = 'DecodeError';
  }
}
