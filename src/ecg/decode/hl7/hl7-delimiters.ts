import { DecodeError } from '../decode-error';

/** MSH-1 and MSH-2: the separators and escape character this message uses (v2.x ch. 2, 2.5.4). */
export interface Hl7Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** v2.7+ MSH-2 fifth character (`#`): marks a value truncated by the sender; escaped as `\P\`. */
  truncation?: string;
}

const FORBIDDEN = /[A-Za-z0-9\s]/;

/**
 * Reads MSH-1 and MSH-2 from a header segment (MSH, or FHS/BHS of a batch; same layout).
 * Throws DECODE_MALFORMED at MSH-1 or MSH-2.
 */
export function readDelimiters(header: string): Hl7Delimiters {
  const field = header.charAt(3);
  if (field === '' || FORBIDDEN.test(field)) {
    throw new DecodeError('DECODE_MALFORMED', 'MSH-1', 'MSH-1 field separator must be a single non-alphanumeric character');
  }
  const end = header.indexOf(field, 4);
  const chars = header.slice(4, end < 0 ? header.length : end);
  // v2.x 2.5.4: component, repetition, escape, subcomponent; v2.7 adds the truncation character.
  if (chars.length !== 4 && chars.length !== 5) {
    throw new DecodeError('DECODE_MALFORMED', 'MSH-2', 'MSH-2 must hold 4 encoding characters (5 from v2.7)');
  }
  const all = [field, ...chars];
  if (new Set(all).size !== all.length || all.some((c) => FORBIDDEN.test(c))) {
    throw new DecodeError('DECODE_MALFORMED', 'MSH-2', 'MSH-2 encoding characters must be distinct and non-alphanumeric');
  }
  const delimiters: Hl7Delimiters = {
    field,
    component: chars.charAt(0),
    repetition: chars.charAt(1),
    escape: chars.charAt(2),
    subcomponent: chars.charAt(3),
  };
  if (chars.length === 5) delimiters.truncation = chars.charAt(4);
  return delimiters;
}
