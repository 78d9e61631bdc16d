import { decodeHl7Text } from './decode-hl7-text';
import { Hl7Segment } from './hl7-segment';

/**
 * The MSH fields an MLLP listener needs to log, deduplicate and acknowledge a message, read
 * without decoding the rest. Text values are unescaped; '' when absent.
 */
export interface Hl7MessageHeader {
  /** MSH-1 and MSH-2 as sent. */
  fieldSeparator: string;
  encodingCharacters: string;
  /** HD namespace IDs of MSH-3…6. */
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-3…6 and MSH-9 as sent (all components, still escaped), to echo into an ACK. */
  raw: { sendingApplication: string; sendingFacility: string; receivingApplication: string; receivingFacility: string; messageType: string };
  /** MSH-7 as sent (TS/DTM). */
  messageDateTime: string;
  /** MSH-9.1, MSH-9.2, MSH-9.3: `ORU`, `R01`, `ORU_R01`. */
  messageCode: string;
  triggerEvent: string;
  messageStructure: string;
  /** MSH-10. */
  controlId: string;
  /** MSH-11.1 (table 0103: P, D, T). */
  processingId: string;
  /** MSH-12.1. */
  version: string;
  /** MSH-15 / MSH-16 (table 0155); both empty = original acknowledgment mode. */
  acceptAckType: string;
  applicationAckType: string;
  /** MSH-18, first repetition ('' = ASCII). */
  characterSet: string;
}

/** Reads the header fields from a parsed MSH segment. */
export function messageHeaderOf(msh: Hl7Segment): Hl7MessageHeader {
  return {
    fieldSeparator: msh.raw(1),
    encodingCharacters: msh.raw(2),
    sendingApplication: msh.get(3),
    sendingFacility: msh.get(4),
    receivingApplication: msh.get(5),
    receivingFacility: msh.get(6),
    raw: { sendingApplication: msh.raw(3), sendingFacility: msh.raw(4), receivingApplication: msh.raw(5), receivingFacility: msh.raw(6), messageType: msh.raw(9) },
    messageDateTime: msh.get(7),
    messageCode: msh.get(9, 1).trim(),
    triggerEvent: msh.get(9, 2).trim(),
    messageStructure: msh.get(9, 3).trim(),
    controlId: msh.get(10),
    processingId: msh.get(11).trim(),
    version: msh.get(12).trim(),
    acceptAckType: msh.get(15).trim(),
    applicationAckType: msh.get(16).trim(),
    characterSet: msh.get(18).trim(),
  };
}

/**
 * Reads only the MSH segment of a message (for the MLLP listener, which must answer even a
 * message the decoder refuses). Pure; decodes the text with the MSH-18 character set.
 * Throws DECODE_MALFORMED (no MSH, bad MSH-1/2) and DECODE_UNSUPPORTED_ENCODING (MSH-18).
 */
export function readHl7MessageHeader(bytes: Uint8Array): Hl7MessageHeader {
  const { text, encoding } = decodeHl7Text(bytes);
  const at = text.startsWith('MSH') ? 0 : text.search(/[\r\n]MSH/) + 1;
  const rest = text.slice(at);
  const end = rest.search(/[\r\n]/);
  return messageHeaderOf(new Hl7Segment(end < 0 ? rest : rest.slice(0, end), 1, encoding));
}
