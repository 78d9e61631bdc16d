import type { MessageRow, TimelineEvent } from '../message';
import { toMessageRow as mapColumns, toTimelineEvent as mapTimeline, type StoredMessageColumns } from '../stored-message-columns';

/** A `messages` row as better-sqlite3 returns it: times as ISO text, JSON as text. */
export interface SqliteMessageRow extends StoredMessageColumns {
  seq: number;
  received_at: string;
  updated_at: string;
  due_at: string | null;
  claim_token: string | null;
  claimed_by: string | null;
  lease_until: string | null;
  summary_json: string | null;
  results_json: string | null;
}

export interface SqliteTimelineRow {
  at: string;
  state: string;
  event: string;
  detail_json: string | null;
}

function parseJson(json: string | null): unknown {
  return json === null ? undefined : JSON.parse(json);
}

export function toMessageRow(r: SqliteMessageRow): MessageRow {
  return mapColumns(r, { receivedAt: r.received_at, updatedAt: r.updated_at, summary: parseJson(r.summary_json), results: parseJson(r.results_json) });
}

export function toTimelineEvent(r: SqliteTimelineRow): TimelineEvent {
  return mapTimeline(r.at, r.state, r.event, parseJson(r.detail_json));
}
