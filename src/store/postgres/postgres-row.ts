import type { MessageRow, TimelineEvent } from '../message';
import { toMessageRow as mapColumns, toTimelineEvent as mapTimeline, type StoredMessageColumns } from '../stored-message-columns';

/** A `messages` row as node-postgres returns it (timestamptz → Date, bigint → string, jsonb → parsed). */
export interface PostgresMessageRow extends StoredMessageColumns {
  seq: string;
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

export function toMessageRow(r: PostgresMessageRow): MessageRow {
  return mapColumns(r, { receivedAt: r.received_at.toISOString(), updatedAt: r.updated_at.toISOString(), summary: r.summary, results: r.results });
}

export function toTimelineEvent(r: PostgresTimelineRow): TimelineEvent {
  return mapTimeline(r.at.toISOString(), r.state, r.event, r.detail);
}
