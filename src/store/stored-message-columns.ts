import type { IngestProtocol, MessageRow, MessageState, PeerInfo, TimelineEvent } from './message';

/** The `messages` columns every adapter stores with the same types (drivers differ only in times, seq and JSON). */
export interface StoredMessageColumns {
  id: string;
  protocol: string;
  peer_address: string | null;
  peer_calling_ae: string | null;
  peer_sending_app: string | null;
  peer_sending_facility: string | null;
  source_id: string | null;
  dedup_key: string | null;
  content_type: string;
  sha256: string;
  size_bytes: number;
  state: string;
  attempts: number;
  last_error_code: string | null;
  last_error_field: string | null;
  last_error_message: string | null;
  repeats: number;
  version_of: string | null;
}

/** What the adapter has already normalised: ISO times and parsed JSON. */
export interface NormalisedParts {
  receivedAt: string;
  updatedAt: string;
  summary: unknown;
  results: unknown;
}

export function asObject(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Maps stored columns to the port's MessageRow (optional fields left out rather than null). */
export function toMessageRow(r: StoredMessageColumns, parts: NormalisedParts): MessageRow {
  const peer: PeerInfo = {};
  if (r.peer_address !== null) peer.address = r.peer_address;
  if (r.peer_calling_ae !== null) peer.callingAeTitle = r.peer_calling_ae;
  if (r.peer_sending_app !== null) peer.sendingApplication = r.peer_sending_app;
  if (r.peer_sending_facility !== null) peer.sendingFacility = r.peer_sending_facility;
  const row: MessageRow = {
    id: r.id,
    protocol: r.protocol as IngestProtocol,
    peer,
    contentType: r.content_type,
    sha256: r.sha256,
    sizeBytes: r.size_bytes,
    state: r.state as MessageState,
    attempts: r.attempts,
    repeats: r.repeats,
    receivedAt: parts.receivedAt,
    updatedAt: parts.updatedAt,
  };
  if (r.source_id !== null) row.sourceId = r.source_id;
  if (r.dedup_key !== null) row.dedupKey = r.dedup_key;
  if (r.version_of !== null) row.versionOf = r.version_of;
  if (r.last_error_code !== null) {
    row.lastError = { code: r.last_error_code, message: r.last_error_message ?? '' };
    if (r.last_error_field !== null) row.lastError.field = r.last_error_field;
  }
  const summary = asObject(parts.summary);
  if (summary) row.summary = summary;
  const results = asObject(parts.results);
  if (results) row.results = results;
  return row;
}

/** Maps a timeline row whose time and detail the adapter has normalised. */
export function toTimelineEvent(at: string, state: string, event: string, detail: unknown): TimelineEvent {
  const out: TimelineEvent = { at, state: state as MessageState, event };
  const d = asObject(detail);
  if (d) out.detail = d;
  return out;
}
