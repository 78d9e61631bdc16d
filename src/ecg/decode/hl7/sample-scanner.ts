/** What ended a value: the next one is in the same repetition, a new repetition, or there is none. */
export const COMPONENT_END = 0;
export const REPETITION_END = 1;
export const FIELD_END = 2;
/** The value is not an NM number (the caller throws with the location). */
export const NOT_A_NUMBER = 3;
export type ScanStop = typeof COMPONENT_END | typeof REPETITION_END | typeof FIELD_END | typeof NOT_A_NUMBER;

const SPACE = 0x20;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Reads the NM values of an NA or MA field (v2.x ch. 2A) in place: no split, no substrings.
 * A waveform OBX-5 holds tens of thousands of numbers; this keeps decoding at memory speed.
 * An empty value (two adjacent delimiters) is a missing sample: `value` is NaN, `missing` true.
 */
export class SampleScanner {
  /** The value read by the last `next()`. */
  value = 0;
  missing = false;
  private pos: number;

  constructor(
    private readonly text: string,
    private readonly component: number,
    private readonly repetition: number,
  ) {
    this.pos = 0;
  }

  /** True when no repetition delimiter follows the current position (the field's last repetition). */
  inLastRepetition(): boolean {
    return this.text.indexOf(String.fromCharCode(this.repetition), this.pos) < 0;
  }

  /** Reads one value and the delimiter after it. */
  next(): ScanStop {
    const t = this.text;
    const end = t.length;
    let p = this.pos;
    let c = p < end ? t.charCodeAt(p) : -1;
    while (c === SPACE) c = ++p < end ? t.charCodeAt(p) : -1;
    let negative = false;
    let signed = false;
    if (c === MINUS || c === PLUS) {
      negative = c === MINUS;
      signed = true;
      c = ++p < end ? t.charCodeAt(p) : -1;
    }
    let mantissa = 0;
    let digits = 0;
    let scale = 1;
    while (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      c = ++p < end ? t.charCodeAt(p) : -1;
    }
    let dotted = false;
    if (c === DOT) {
      dotted = true;
      c = ++p < end ? t.charCodeAt(p) : -1;
      while (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        scale *= 10;
        digits++;
        c = ++p < end ? t.charCodeAt(p) : -1;
      }
    }
    while (c === SPACE) c = ++p < end ? t.charCodeAt(p) : -1;

    let stop: ScanStop;
    if (c === -1) stop = FIELD_END;
    else if (c === this.component) stop = COMPONENT_END;
    else if (c === this.repetition) stop = REPETITION_END;
    else {
      this.pos = p;
      return NOT_A_NUMBER;
    }
    if (digits === 0) {
      if (signed || dotted) {
        this.pos = p;
        return NOT_A_NUMBER;
      }
      this.value = NaN;
      this.missing = true;
    } else {
      const v = scale === 1 ? mantissa : mantissa / scale;
      this.value = negative ? -v : v;
      this.missing = false;
    }
    this.pos = p + 1;
    return stop;
  }
}
