/** The numbers of an NA or MA field, flat, with where each repetition ends. */
export interface NumericArray {
  /** Every value in field order; NaN where a value is empty (a missing sample). */
  values: Float64Array;
  /** For each repetition, the index in `values` where it ends (exclusive). */
  repetitionEnds: Int32Array;
  /** How many values are empty. */
  missing: number;
}

/** Called with the 1-based repetition and component of a value that is not a number; must throw. */
export type ScanFailure = (repetition: number, component: number, inLastRepetition: boolean) => never;

const SPACE = 0x20;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Reads the NM values of an NA or MA field (v2.x ch. 2A) from its bytes in one pass: no split, no
 * substrings. A waveform OBX-5 holds tens of thousands of numbers; a byte loop is several times
 * faster than splitting or `charCodeAt` on the sliced strings a segment split yields.
 * NM: optional sign, digits, optional point and digits, blanks around. An empty value (two
 * adjacent delimiters) is a missing sample; an empty last repetition (a trailing repetition
 * delimiter) is dropped. Any other byte, including every byte of a non-ASCII character, calls
 * `fail`. `component` and `repetition` are the delimiter byte values.
 */
export function scanNumericArray(field: Uint8Array, component: number, repetition: number, fail: ScanFailure): NumericArray {
  const len = field.length;
  // A copy with a NUL sentinel after the end: the hot loop needs no bounds test per byte.
  const bytes = new Uint8Array(len + 1);
  bytes.set(field);
  // A number takes at least one byte plus a delimiter, so len/2 + 1 values is enough unless
  // values are empty (missing samples); then the arrays grow.
  let values = new Float64Array((len >> 1) + 1);
  let repetitionEnds = new Int32Array((len >> 1) + 1);
  let missing = 0;
  let n = 0;
  let r = 0;
  let comp = 1;
  let p = 0;
  for (;;) {
    // Fast path, nearly every sample: an integer, maybe negative, right before a delimiter.
    const start = p;
    let c = bytes[p]!;
    let negative = false;
    if (c === MINUS) {
      negative = true;
      c = bytes[++p]!;
    }
    let v = c - ZERO;
    if (v >= 0 && v <= 9 && n < values.length) {
      c = bytes[++p]!;
      let digit = c - ZERO;
      while (digit >= 0 && digit <= 9) {
        v = v * 10 + digit;
        c = bytes[++p]!;
        digit = c - ZERO;
      }
      if (c === component && p !== len) {
        values[n++] = negative ? -v : v;
        comp++;
        p++;
        continue;
      }
      if (c === repetition) {
        values[n++] = negative ? -v : v;
        repetitionEnds[r++] = n;
        comp = 1;
        p++;
        continue;
      }
      if (p === len) {
        values[n++] = negative ? -v : v;
        repetitionEnds[r++] = n;
        break;
      }
    }
    if (n === values.length) {
      values = grow(values, new Float64Array(values.length * 2));
      repetitionEnds = grow(repetitionEnds, new Int32Array(values.length));
    }
    // Anything else (blanks, plus sign, decimals, empty values, junk): the full NM rules.
    p = start;
    c = bytes[p]!;
    while (c === SPACE) c = bytes[++p]!;
    let minus = false;
    let signed = false;
    if (c === MINUS || c === PLUS) {
      minus = c === MINUS;
      signed = true;
      c = bytes[++p]!;
    }
    let mantissa = 0;
    let digits = 0;
    let scale = 1;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      c = bytes[++p]!;
    }
    let dotted = false;
    if (c === DOT) {
      dotted = true;
      c = bytes[++p]!;
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        scale *= 10;
        digits++;
        c = bytes[++p]!;
      }
    }
    while (c === SPACE) c = bytes[++p]!;
    const atEnd = p === len;
    if ((!atEnd && c !== component && c !== repetition) || (digits === 0 && (signed || dotted))) {
      fail(r + 1, comp, field.indexOf(repetition, p) < 0);
    }
    if (digits === 0 && atEnd && comp === 1 && r > 0) break; // trailing repetition delimiter: no new repetition
    if (digits === 0) {
      values[n++] = NaN;
      missing++;
    } else {
      const v = scale === 1 ? mantissa : mantissa / scale;
      values[n++] = minus ? -v : v;
    }
    if (c === component && !atEnd) {
      comp++;
    } else {
      repetitionEnds[r++] = n;
      comp = 1;
      if (atEnd) break;
    }
    p++;
  }
  return { values: values.subarray(0, n), repetitionEnds: repetitionEnds.subarray(0, r), missing };
}

function grow<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
