import { DecodeError } from '../decode-error';
import type { Hl7MessageHeader } from './read-message-header';

/** MSH-12 versions whose chapter 7 carries the waveform OBX (CD/NA/MA kept for backward compatibility from v2.7). */
export const SUPPORTED_VERSIONS: ReadonlySet<string> = new Set(['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.1', '2.8.2']);
/** MSH-9 trigger events for results: R01 (v2.x ch. 7 ORU) and W01 (v2.3 §7.20 waveform result). */
export const SUPPORTED_TRIGGERS: ReadonlySet<string> = new Set(['R01', 'W01']);
/** Table 0103 processing IDs: production, debugging, training. */
export const SUPPORTED_PROCESSING_IDS: ReadonlySet<string> = new Set(['P', 'D', 'T']);

/**
 * Checks what decides accept-or-reject before any content is read (standards.md §4.4: failures
 * here are AR/CR): MSH-9, then MSH-11, then MSH-12, then MSH-10.
 * Throws DECODE_REQUIRED_FIELD_MISSING, DECODE_UNSUPPORTED_MESSAGE_TYPE (MSH-9; MSH-9.2 for the
 * trigger event, table 0357 code 201), DECODE_UNSUPPORTED_PROCESSING_ID (MSH-11),
 * DECODE_UNSUPPORTED_VERSION (MSH-12).
 */
export function checkMessageHeader(h: Hl7MessageHeader): void {
  if (h.messageCode === '') throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', 'MSH-9', 'MSH-9 message type is empty');
  if (h.messageCode !== 'ORU') {
    throw new DecodeError('DECODE_UNSUPPORTED_MESSAGE_TYPE', 'MSH-9', `message type ${h.messageCode.slice(0, 3)} is not accepted; ECGs come as ORU^R01 or ORU^W01`);
  }
  if (!SUPPORTED_TRIGGERS.has(h.triggerEvent)) {
    throw new DecodeError('DECODE_UNSUPPORTED_MESSAGE_TYPE', 'MSH-9.2', `trigger event ORU^${h.triggerEvent.slice(0, 3)} is not accepted; use R01 or W01`);
  }
  if (h.processingId === '') throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', 'MSH-11', 'MSH-11 processing ID is empty');
  if (!SUPPORTED_PROCESSING_IDS.has(h.processingId)) {
    throw new DecodeError('DECODE_UNSUPPORTED_PROCESSING_ID', 'MSH-11', 'MSH-11 processing ID must be P, D or T (table 0103)');
  }
  if (h.version === '') throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', 'MSH-12', 'MSH-12 version ID is empty');
  if (!SUPPORTED_VERSIONS.has(h.version)) {
    throw new DecodeError('DECODE_UNSUPPORTED_VERSION', 'MSH-12', `HL7 version ${h.version.slice(0, 8)} is not supported; 2.3 to 2.8 are`);
  }
  if (h.controlId.trim() === '') throw new DecodeError('DECODE_REQUIRED_FIELD_MISSING', 'MSH-10', 'MSH-10 message control ID is empty');
}
