// PS3.5 §6.2 DS: optional sign, digits with an optional point, optional exponent; ≤16 bytes,
// leading and trailing spaces allowed.
const STRICT_DS = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// Tolerated: a decimal comma instead of a point (European writers).
const COMMA_DS = /^[+-]?(\d+,\d*|,\d+)([eE][+-]?\d+)?$/;

export interface ParsedDecimal {
  value: number;
  /** Set when the string breaks a PS3.5 rule but still reads as one number: the rule broken. */
  oddity?: string;
}

/**
 * Parses one DS value. Returns undefined when the string is not a number at all; a number with an
 * `oddity` when it is usable but not conformant (longer than 16 bytes, decimal comma).
 */
export function parseDecimalString(raw: string): ParsedDecimal | undefined {
  const s = raw.replace(/\0+$/, '').trim();
  if (s === '') return undefined;
  if (STRICT_DS.test(s)) {
    const value = Number(s);
    if (!Number.isFinite(value)) return undefined;
    return s.length > 16 ? { value, oddity: 'a DS value is at most 16 bytes (PS3.5 §6.2)' } : { value };
  }
  if (COMMA_DS.test(s)) {
    const value = Number(s.replace(',', '.'));
    if (Number.isFinite(value)) return { value, oddity: 'a DS value uses a decimal point, not a comma (PS3.5 §6.2)' };
  }
  return undefined;
}
