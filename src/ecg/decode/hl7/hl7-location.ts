/**
 * Where in an HL7 v2 message something is: the ERL data type of ERR-2 (v2.5 ch. 2A, ERL:
 * segment ID ^ segment sequence ^ field position ^ field repetition ^ component ^ sub-component).
 *
 * Text notation used in every HL7 DecodeError `field` and warning:
 *   `SEG[sequence]-field[repetition].component.subcomponent`, e.g. `PID-3`, `MSH-12`, `OBX[3]-5`,
 *   `OBX[2]-5[4].5` (OBX-5, 4th repetition, 5th component), `OBX[5]-5.3`.
 * The sequence is the segment's occurrence in the message (ERL-2: "the first occurrence is 1"),
 * not OBX-1 Set ID; it is written only when the message holds more than one segment of that name.
 * Everything after the segment is optional; an omitted sequence or repetition means 1.
 */
export interface Hl7Location {
  segment: string;
  sequence?: number;
  field?: number;
  repetition?: number;
  component?: number;
  subcomponent?: number;
}

const PATTERN = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?(?:-(\d+)(?:\[(\d+)\])?(?:\.(\d+)(?:\.(\d+))?)?)?$/;

/** Writes a location in the notation above; parts after a missing one are dropped. */
export function formatHl7Location(loc: Hl7Location): string {
  let out = loc.segment;
  if (loc.sequence !== undefined) out += `[${loc.sequence}]`;
  if (loc.field === undefined) return out;
  out += `-${loc.field}`;
  if (loc.repetition !== undefined) out += `[${loc.repetition}]`;
  if (loc.component === undefined) return out;
  out += `.${loc.component}`;
  if (loc.subcomponent !== undefined) out += `.${loc.subcomponent}`;
  return out;
}

/** Reads the notation back (the MLLP listener turns it into ERR-2); undefined if it is not one. */
export function parseHl7Location(text: string): Hl7Location | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const loc: Hl7Location = { segment: m[1]! };
  const [, , seq, field, rep, comp, sub] = m;
  if (seq !== undefined) loc.sequence = Number(seq);
  if (field !== undefined) loc.field = Number(field);
  if (rep !== undefined) loc.repetition = Number(rep);
  if (comp !== undefined) loc.component = Number(comp);
  if (sub !== undefined) loc.subcomponent = Number(sub);
  return loc;
}

/**
 * The six ERL components of ERR-2 for a location (v2.5 ch. 2A ERL): segment ID and sequence are
 * required; the repetition defaults to 1 when a field is named; unknown parts stay empty.
 */
export function toErrorLocation(loc: Hl7Location): [string, string, string, string, string, string] {
  const num = (n: number | undefined): string => (n === undefined ? '' : String(n));
  const hasField = loc.field !== undefined;
  return [
    loc.segment,
    String(loc.sequence ?? 1),
    num(loc.field),
    hasField ? String(loc.repetition ?? 1) : '',
    num(loc.component),
    num(loc.subcomponent),
  ];
}
