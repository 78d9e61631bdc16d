import { DecodeError } from '../decode-error';

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Reads SLIST `digits` (HL7 v3 datatypes: a list of INT, whitespace-separated, any line breaks)
 * with one pass over the characters: no split, no per-token strings.
 * Throws DECODE_INVALID_VALUE with the 1-based position of the first token that is not an integer.
 */
export function scanDigits(text: string, field: string): Int32Array {
  const len = text.length;
  const out = new Int32Array((len + 1) >> 1); // each token takes a digit and a separator, bar the last
  let n = 0;
  let i = 0;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const negative = c === 0x2d;
    if (negative || c === 0x2b) c = ++i < len ? text.charCodeAt(i) : -1;
    let value = 0;
    let digits = 0;
    while (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      digits++;
      c = ++i < len ? text.charCodeAt(i) : -1;
    }
    // Nine digits keep any value inside Int32; ECG digits use at most six.
    if (digits === 0 || digits > 9 || (c !== -1 && !isSpace(c))) {
      throw new DecodeError('DECODE_INVALID_VALUE', field, `digit ${n + 1} is not an integer`);
    }
    out[n++] = negative ? -value : value;
  }
  return out.slice(0, n);
}
