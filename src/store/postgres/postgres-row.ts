import type { IngestProtocol, MessageRow, MessageState, PeerInfo, TimelineEvent } from '../message';

/** A `messages` row as node-postgres returns it (timestamptz → Date, bigint → string, jsonb → parsed). */
export interface PostgresMessageRow {
  seq: string;
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
  received_at: Date;
  updated_at: Date;
  due_at: Date | null;
  claim_token: string | null;
  claimed_by: string | null;
  lease_until: Date | null;
  summary: unknown;
  results: unknown;
}

export interface PostgresTimelineRow {
  at: Date;
  state: string;
  event: string;
  detail: unknown;
}

function asObject(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Maps a stored row to the port's MessageRow (optional fields left out rather than null). */
export function toMessageRow(r: PostgresMessageRow): MessageRow {
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
    receivedAt: r.received_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
  if (r.source_id !== null) row.sourceId = r.source_id;
  if (r.dedup_key !== null) row.dedupKey = r.dedup_key;
  if (r.version_of !== null) row.versionOf = r.version_of;
  if (r.last_error_code !== null) {
    row.lastError = { code: r.last_error_code, message: r.last_error_message ?? '' };
    if (r.last_error_field !== null) row.lastError.field = r.last_error_field;
  }
  const summary = asObject(r.summary);
  if (summary) row.summary = summary;
  const results = asObject(r.results);
  if (results) row.results = results;
  return row;
}

export function toTimelineEvent(r: PostgresTimelineRow): TimelineEvent {
  const event: TimelineEvent = { at: r.at.toISOString(), state: r.state as MessageState, event: r.event };
  const detail = asObject(r.detail);
  if (detail) event.detail = detail;
  return event;
}
