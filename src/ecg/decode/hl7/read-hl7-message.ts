import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import { decodeHl7Text } from './decode-hl7-text';
import { formatHl7Location } from './hl7-location';
import { Hl7Segment, type Hl7Encoding } from './hl7-segment';

/** A message split into segments. */
export interface Hl7Message {
  encoding: Hl7Encoding;
  segments: Hl7Segment[];
  /** False when the bytes end without a segment terminator: the last segment may be cut short. */
  terminated: boolean;
  warnings: DecodeWarning[];
}

const SEGMENT_ID = /^[A-Z][A-Z0-9]{2}$/;
const BATCH_SEGMENTS: ReadonlySet<string> = new Set(['FHS', 'BHS', 'BTS', 'FTS']);

/**
 * Reads bytes into segments (v2.x ch. 2: segments end with CR; LF and CRLF are accepted too, as
 * files often use them). Batch envelopes around a single message are dropped.
 * Not `@medplum/core` Hl7Message.parse (4.5.2), which the MLLP transport uses: it leaves escape
 * sequences in values, takes subcomponent indexes 0-based while components are 1-based, refuses
 * a BOM or leading blanks, drops the v2.7 truncation character from MSH-2, knows no MSH-18, and
 * splits every OBX-5 into one string per sample.
 * Throws DECODE_MALFORMED (no MSH, a line that is not a segment, several messages) and
 * DECODE_UNSUPPORTED_ENCODING (MSH-18).
 */
export function readHl7Message(bytes: Uint8Array): Hl7Message {
  const { text, encoding, terminated, warnings } = decodeHl7Text(bytes);
  const field = encoding.delimiters.field;
  const counts = new Map<string, number>();
  const segments: Hl7Segment[] = [];
  for (const line of splitSegments(text)) {
    if (line === '') continue;
    const name = line.slice(0, 3);
    if (!SEGMENT_ID.test(name) || (line.length > 3 && line.charAt(3) !== field)) {
      const prev = segments[segments.length - 1];
      const where = prev ? formatHl7Location({ segment: prev.name, sequence: prev.sequence }) : 'MSH';
      throw new DecodeError('DECODE_MALFORMED', where, `the line after ${where} does not start with a segment ID and field separator`);
    }
    if (BATCH_SEGMENTS.has(name)) continue;
    const sequence = (counts.get(name) ?? 0) + 1;
    counts.set(name, sequence);
    segments.push(new Hl7Segment(line, sequence, encoding));
  }
  if (segments[0]?.name !== 'MSH') throw new DecodeError('DECODE_MALFORMED', 'MSH', 'the first segment is not MSH');
  if ((counts.get('MSH') ?? 0) > 1) {
    throw new DecodeError('DECODE_MALFORMED', 'MSH[2]', 'the batch holds more than one message; send one message at a time');
  }
  for (const s of segments) s.showSequence = (counts.get(s.name) ?? 0) > 1;
  return { encoding, segments, terminated, warnings };
}

/** Splits on CR, LF or CRLF in one pass (each terminator is searched for once, not per line). */
function splitSegments(text: string): string[] {
  const lines: string[] = [];
  let pos = 0;
  let cr = text.indexOf('\r');
  let lf = text.indexOf('\n');
  while (pos < text.length) {
    if (cr >= 0 && cr < pos) cr = text.indexOf('\r', pos);
    if (lf >= 0 && lf < pos) lf = text.indexOf('\n', pos);
    const end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
    if (end < 0) {
      lines.push(text.slice(pos));
      break;
    }
    lines.push(text.slice(pos, end));
    pos = end + 1;
  }
  return lines;
}
