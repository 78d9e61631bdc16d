import type { Hl7CharacterSet } from './hl7-character-set';
import type { Hl7Delimiters } from './hl7-delimiters';
import { formatHl7Location, type Hl7Location } from './hl7-location';
import { unescapeHl7 } from './unescape-hl7';

/** How the message's text is written: separators plus the character set for `\X..\` escapes. */
export interface Hl7Encoding {
  delimiters: Hl7Delimiters;
  characterSet: Hl7CharacterSet;
  /** The text is the bytes read as Latin-1 (every character ≤ U+00FF), so Latin-1 gives them back. */
  latin1Text: boolean;
}

const HEADER_SEGMENTS: ReadonlySet<string> = new Set(['MSH', 'FHS', 'BHS']);

/**
 * The `index`-th (1-based) piece of `text` split on `separator`, without splitting the rest;
 * '' when there are fewer pieces. Waveform fields are long, so nothing here splits a whole field.
 */
export function pieceOf(text: string, separator: string, index: number): string {
  let start = 0;
  for (let k = 1; k < index; k++) {
    const at = text.indexOf(separator, start);
    if (at < 0) return '';
    start = at + 1;
  }
  const end = text.indexOf(separator, start);
  return end < 0 ? text.slice(start) : text.slice(start, end);
}

/**
 * One segment with 1-based access that reads like the spec (`PID-5.2` is `get(5, 2)`).
 * Fields are split once; repetitions, components and subcomponents only when asked for.
 * MSH is numbered as the standard does: MSH-1 is the field separator, MSH-2 the encoding characters.
 */
export class Hl7Segment {
  readonly name: string;
  /** Occurrence among segments with this name, 1-based (ERL-2 segment sequence). */
  readonly sequence: number;
  /** Whether locations write the sequence: only when the message holds several segments of this name. */
  showSequence = false;
  private readonly fields: readonly string[];
  private readonly isHeader: boolean;

  constructor(
    text: string,
    sequence: number,
    readonly encoding: Hl7Encoding,
  ) {
    const d = encoding.delimiters;
    const parts = text.split(d.field);
    this.name = parts[0] ?? '';
    this.sequence = sequence;
    this.isHeader = HEADER_SEGMENTS.has(this.name);
    this.fields = this.isHeader ? [this.name, d.field, ...parts.slice(1)] : parts;
  }

  /** The highest field number present. */
  get fieldCount(): number {
    return this.fields.length - 1;
  }

  /** Field `n` as sent (escaped, all repetitions); '' when absent. */
  raw(n: number): string {
    return this.fields[n] ?? '';
  }

  /**
   * Field `n` as bytes, for scanning long numeric data: the original bytes when the text was read
   * as Latin-1, else its UTF-8 form (where every non-ASCII character becomes bytes above 0x7F).
   */
  bytes(n: number): Uint8Array {
    return Buffer.from(this.raw(n), this.encoding.latin1Text ? 'latin1' : 'utf8');
  }

  /** The raw repetitions of field `n` ([] when empty). */
  repetitions(n: number): string[] {
    const raw = this.raw(n);
    if (raw === '' || this.isEncodingField(n)) return raw === '' ? [] : [raw];
    return raw.split(this.encoding.delimiters.repetition);
  }

  /** Field `n`, component, subcomponent, repetition (all 1-based), unescaped; '' when absent. */
  get(n: number, component = 1, subcomponent = 1, repetition = 1): string {
    const raw = this.raw(n);
    if (raw === '') return '';
    if (this.isEncodingField(n)) return raw;
    const d = this.encoding.delimiters;
    return this.unescape(pieceOf(pieceOf(pieceOf(raw, d.repetition, repetition), d.component, component), d.subcomponent, subcomponent));
  }

  /** Resolves escape sequences in a leaf value taken from this segment. */
  unescape(value: string): string {
    return unescapeHl7(value, this.encoding.delimiters, this.encoding.characterSet.decode);
  }

  /** This segment's location in HL7 notation (`OBX[3]-5[2].1`); see hl7-location.ts. */
  location(field?: number, repetition?: number, component?: number, subcomponent?: number): string {
    const loc: Hl7Location = { segment: this.name };
    if (this.showSequence) loc.sequence = this.sequence;
    if (field !== undefined) loc.field = field;
    if (repetition !== undefined) loc.repetition = repetition;
    if (component !== undefined) loc.component = component;
    if (subcomponent !== undefined) loc.subcomponent = subcomponent;
    return formatHl7Location(loc);
  }

  // MSH-1 and MSH-2 are the delimiters themselves: never split or unescaped.
  private isEncodingField(n: number): boolean {
    return this.isHeader && (n === 1 || n === 2);
  }
}
