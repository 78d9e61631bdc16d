import { DecodeError } from '../decode-error';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A header integer; throws DECODE_INVALID_VALUE naming the field. */
export function parseWfdbInteger(token: string, field: string, what: string): number {
  if (!INTEGER.test(token)) throw new DecodeError('DECODE_INVALID_VALUE', field, `${what} is not an integer`);
  return Number(token);
}

/** A header decimal number; throws DECODE_INVALID_VALUE naming the field. */
export function parseWfdbDecimal(token: string, field: string, what: string): number {
  if (!DECIMAL.test(token)) throw new DecodeError('DECODE_INVALID_VALUE', field, `${what} is not a number`);
  return Number(token);
}
