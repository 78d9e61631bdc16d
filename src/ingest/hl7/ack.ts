import type { Hl7Delimiters } from '../../ecg/decode/hl7/hl7-delimiters';
import type { Hl7MessageHeader } from '../../ecg/decode/hl7/read-message-header';

/** MSA-1 (table 0008): original mode AA/AE/AR, enhanced-mode commit ACK CA/CE/CR. */
export const ACK_CODES = { AA: 'AA', AE: 'AE', AR: 'AR', CA: 'CA', CE: 'CE', CR: 'CR' } as const;
export type AckCode = (typeof ACK_CODES)[keyof typeof ACK_CODES];

/** What an ACK says, independent of the mode: accepted, error in content, rejected. */
export type AckOutcome = 'accept' | 'error' | 'reject';
export type AckMode = 'original' | 'enhanced';

const CODE_FOR: Readonly<Record<AckMode, Readonly<Record<AckOutcome, AckCode>>>> = {
  original: { accept: 'AA', error: 'AE', reject: 'AR' },
  enhanced: { accept: 'CA', error: 'CE', reject: 'CR' },
};

/** Table 0357 message error condition codes the gateway uses (ERR-3), with their table text. */
export const HL7_ERROR_CONDITIONS = {
  100: 'Segment sequence error',
  101: 'Required field missing',
  102: 'Data type error',
  103: 'Table value not found',
  104: 'Value too long',
  200: 'Unsupported message type',
  201: 'Unsupported event code',
  202: 'Unsupported processing id',
  203: 'Unsupported version id',
  207: 'Application internal error',
} as const;
export type Hl7ErrorCondition = keyof typeof HL7_ERROR_CONDITIONS;

export interface AckError {
  /** ERR-2 (ERL): segment ^ sequence ^ field ^ repetition ^ component ^ subcomponent. */
  location?: readonly string[];
  /** ERR-3 (table 0357). */
  condition: Hl7ErrorCondition;
  /** ERR-4 (table 0516). */
  severity: 'E' | 'W' | 'I' | 'F';
  /** ERR-5: the gateway's own error code (`DECODE_INVALID_VALUE`). */
  applicationCode: string;
  /** ERR-8: readable text naming the broken rule (never patient values). */
  text: string;
}

export interface AckRequest {
  /** The MSH being answered; undefined when the frame had no readable MSH. */
  original: Hl7MessageHeader | undefined;
  mode: AckMode;
  outcome: AckOutcome;
  /** MSH-10 of the ACK itself. */
  controlId: string;
  /** MSH-7 of the ACK. */
  at: Date;
  /** Our own application name when the sender did not put one in MSH-5. */
  self: string;
  error?: AckError;
}

const DEFAULT_DELIMITERS: Hl7Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

/** MSH-7 as DTM in UTC: YYYYMMDDHHMMSS+0000. */
export function formatHl7Timestamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}+0000`;
}

/** Escapes text for an ST/TX field (v2.5 §2.7.4: \F\ \S\ \T\ \R\ \E\); line breaks become spaces. */
export function escapeHl7Text(text: string, d: Hl7Delimiters): string {
  let out = '';
  for (const ch of text.replace(/[\r\n]+/g, ' ')) {
    if (ch === d.escape) out += `${d.escape}E${d.escape}`;
    else if (ch === d.field) out += `${d.escape}F${d.escape}`;
    else if (ch === d.component) out += `${d.escape}S${d.escape}`;
    else if (ch === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (ch === d.repetition) out += `${d.escape}R${d.escape}`;
    else out += ch;
  }
  return out;
}

/** The sender's delimiters from MSH-1/MSH-2, so every field we echo stays valid as sent. */
function delimitersOf(msh: Hl7MessageHeader | undefined): Hl7Delimiters {
  const enc = msh?.encodingCharacters ?? '';
  if (!msh || enc.length < 4) return DEFAULT_DELIMITERS;
  return { field: msh.fieldSeparator, component: enc.charAt(0), repetition: enc.charAt(1), escape: enc.charAt(2), subcomponent: enc.charAt(3) };
}

/** MSH-9 of the reply mirrors the shape of the original: ACK, ACK^R01, or ACK^R01^ACK. */
function ackMessageType(msh: Hl7MessageHeader | undefined, d: Hl7Delimiters): string {
  const trigger = msh?.triggerEvent ?? '';
  if (!trigger) return 'ACK';
  return msh?.messageStructure ? ['ACK', trigger, 'ACK'].join(d.component) : ['ACK', trigger].join(d.component);
}

/**
 * Builds the ACK for a message (v2.5 ch. 2, standards.md §4.4): MSH with sender and receiver
 * swapped and a new MSH-10, `MSA|<code>|<original MSH-10>`, and an ERR segment when there is an
 * error. Uses the sender's own delimiters. Returns the message text, segments ended by CR,
 * without MLLP framing.
 */
export function buildAck(req: AckRequest): string {
  const msh = req.original;
  const d = delimitersOf(msh);
  const code = CODE_FOR[req.mode][req.outcome];
  const version = escapeHl7Text(msh?.version || '2.5', d);
  const header = [
    'MSH',
    `${d.component}${d.repetition}${d.escape}${d.subcomponent}`,
    msh?.raw.receivingApplication || req.self,
    msh?.raw.receivingFacility ?? '',
    msh?.raw.sendingApplication ?? '',
    msh?.raw.sendingFacility ?? '',
    formatHl7Timestamp(req.at),
    '',
    ackMessageType(msh, d),
    escapeHl7Text(req.controlId, d),
    escapeHl7Text(msh?.processingId || 'P', d),
    version,
  ];
  const segments = [header.join(d.field)];
  const err = req.error;
  // MSA-3 (text) is deprecated from v2.4 but is what older engines show to their operators.
  const msa = ['MSA', code, escapeHl7Text(msh?.controlId ?? '', d)];
  if (err) msa.push(escapeHl7Text(err.text, d));
  segments.push(msa.join(d.field));
  if (err) {
    const conditionText = HL7_ERROR_CONDITIONS[err.condition];
    const location = (err.location ?? []).join(d.component);
    // ERR-1 (ELD) is the only ERR field before v2.5: segment^sequence^field^code&text&table.
    const legacy = /^2\.[34](\.|$)/.test(version) && err.location
      ? [...err.location.slice(0, 3), [String(err.condition), conditionText, 'HL70357'].join(d.subcomponent)].join(d.component)
      : '';
    segments.push(
      [
        'ERR',
        legacy,
        location,
        [String(err.condition), conditionText, 'HL70357'].join(d.component),
        err.severity,
        [err.applicationCode, '', 'ECGGW'].join(d.component),
        '',
        '',
        escapeHl7Text(err.text, d),
      ].join(d.field),
    );
  }
  return `${segments.join('\r')}\r`;
}
