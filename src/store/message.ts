/** Message lifecycle: received → decoded → scored → delivered, or failed / dead with the reason. */
export const MESSAGE_STATES = ['received', 'decoded', 'scored', 'delivered', 'failed', 'dead'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

export const INGEST_PROTOCOLS = ['mllp', 'dimse', 'stow-rs', 'file'] as const;
export type IngestProtocol = (typeof INGEST_PROTOCOLS)[number];

/** What a listener knows about the peer; no patient data. */
export interface PeerInfo {
  address?: string;
  /** DIMSE calling AE title. */
  callingAeTitle?: string;
  /** HL7 MSH-3 / MSH-4. */
  sendingApplication?: string;
  sendingFacility?: string;
}

/** Raw input handed to the store by a listener, before acknowledgement. */
export interface IncomingMessage {
  protocol: IngestProtocol;
  peer: PeerInfo;
  /** The source's own identifier: SOP Instance UID or MSH-10. */
  sourceId?: string;
  /**
   * The duplicate-detection key: `dicom:<SOP Instance UID>` or `hl7:<MSH-3>|<MSH-4>:<MSH-10>`.
   * Same key + same sha256 = repeat; same key + other bytes = new version (flagged).
   */
  dedupKey?: string;
  contentType: string;
  raw: Uint8Array;
  receivedAt: Date;
  /**
   * Set when the listener refuses the message (NAK) after validating it synchronously: the raw
   * bytes are still committed, as `failed` with this reason, so an analyst can see what was
   * refused. Absent: committed as `received` for the pipeline.
   */
  refused?: { code: string; field?: string; message: string };
  /**
   * Set when the listener already decoded the message to validate it before its ACK (HL7): the
   * row is committed straight as `decoded` with this summary (timeline: received, decode), so the
   * same bytes are not decoded twice. Absent: `received`, and the pipeline decodes.
   */
  decoded?: { summary: Readonly<Record<string, unknown>>; detail?: Readonly<Record<string, unknown>> };
}

export type ReceiveDisposition = 'new' | 'repeat' | 'new-version';

export interface ReceiveOutcome {
  id: string;
  disposition: ReceiveDisposition;
  /** For repeats and new versions: the earlier message with the same key. */
  previousId?: string;
  sha256: string;
}

export interface TimelineEvent {
  at: string;
  state: MessageState;
  /** e.g. `decode`, `repeat`, `delivery-attempt`, `replay`. */
  event: string;
  detail?: Readonly<Record<string, unknown>>;
}

export interface MessageRow {
  id: string;
  protocol: IngestProtocol;
  peer: PeerInfo;
  sourceId?: string;
  dedupKey?: string;
  contentType: string;
  sha256: string;
  sizeBytes: number;
  state: MessageState;
  attempts: number;
  /** Code + field + text of the last failure, never patient values. */
  lastError?: { code: string; field?: string; message: string };
  /** Number of times the same bytes arrived again. */
  repeats: number;
  /** Set when this row is a new version of an earlier message with the same key. */
  versionOf?: string;
  receivedAt: string;
  updatedAt: string;
  /** Decoded summary (format, rate, leads, identifiers, measurements) — never samples. */
  summary?: Readonly<Record<string, unknown>>;
  /** Model results and delivery outcome, added by later stages. */
  results?: Readonly<Record<string, unknown>>;
}

export interface MessageFilter {
  state?: MessageState;
  protocol?: IngestProtocol;
  since?: Date;
  until?: Date;
  limit: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
}

export interface MessagePage {
  items: MessageRow[];
  nextCursor?: string;
}

/** A row claimed by one worker; the claim token is the lock for its next transition. */
export interface ClaimedMessage {
  row: MessageRow;
  claimToken: string;
  raw: Uint8Array;
}
