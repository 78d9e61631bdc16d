import { createHash, randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { GatewayError } from '../../errors/gateway-error';
import type { ClaimedMessage, IncomingMessage, MessageRow, MessageState, ReceiveOutcome } from '../message';
import type { Transition } from '../message-store.port';
import { toMessageRow, type PostgresMessageRow } from './postgres-row';

const REPLAYABLE: ReadonlySet<MessageState> = new Set(['failed', 'dead']);

/** First key of the two-key advisory locks that serialise receives of one dedup key. */
const DEDUP_LOCK_SPACE = 0x45434764; // 'ECGd'

type Detail = Readonly<Record<string, unknown>>;

async function addEvent(c: PoolClient, id: string, at: Date, state: string, event: string, detail: Detail): Promise<void> {
  await c.query('INSERT INTO message_timeline (message_id, at, state, event, detail) VALUES ($1, $2, $3, $4, $5)', [
    id, at, state, event, Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
  ]);
}

/**
 * Records one incoming message inside the caller's transaction. Receives of the same dedup key
 * are serialised by a transaction-scoped advisory lock, so two replicas taking the same resend
 * at once give one `new` and one `repeat`, and a new version always points at the latest.
 */
export async function insertMessage(c: PoolClient, message: IncomingMessage): Promise<ReceiveOutcome> {
  const sha256 = createHash('sha256').update(message.raw).digest('hex');
  const at = message.receivedAt;
  let versionOf: string | undefined;
  if (message.dedupKey !== undefined) {
    await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DEDUP_LOCK_SPACE, message.dedupKey]);
    const same = (await c.query<{ id: string; state: string }>(
      'SELECT id, state FROM messages WHERE dedup_key = $1 AND sha256 = $2 ORDER BY seq LIMIT 1',
      [message.dedupKey, sha256],
    )).rows[0];
    if (same) {
      await c.query('UPDATE messages SET repeats = repeats + 1, updated_at = $1 WHERE id = $2', [at, same.id]);
      await addEvent(c, same.id, at, same.state, 'repeat', { peerAddress: message.peer.address ?? null });
      return { id: same.id, disposition: 'repeat', previousId: same.id, sha256 };
    }
    versionOf = (await c.query<{ id: string }>('SELECT id FROM messages WHERE dedup_key = $1 ORDER BY seq DESC LIMIT 1', [message.dedupKey])).rows[0]?.id;
  }
  const id = randomUUID();
  const { refused, decoded } = message;
  const state: MessageState = refused ? 'failed' : decoded ? 'decoded' : 'received';
  await c.query(
    `INSERT INTO messages (id, protocol, peer_address, peer_calling_ae, peer_sending_app, peer_sending_facility,
       source_id, dedup_key, content_type, sha256, size_bytes, state, last_error_code, last_error_field,
       last_error_message, version_of, received_at, updated_at, summary)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18)`,
    [
      id, message.protocol, message.peer.address ?? null, message.peer.callingAeTitle ?? null,
      message.peer.sendingApplication ?? null, message.peer.sendingFacility ?? null,
      message.sourceId ?? null, message.dedupKey ?? null, message.contentType, sha256, message.raw.byteLength, state,
      refused?.code ?? null, refused?.field ?? null, refused?.message ?? null, versionOf ?? null, at,
      decoded && !refused ? JSON.stringify(decoded.summary) : null,
    ],
  );
  await c.query('INSERT INTO message_raw (message_id, bytes) VALUES ($1, $2)', [id, Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength)]);
  await addEvent(c, id, at, 'received', 'received', versionOf === undefined ? {} : { versionOf });
  if (refused) await addEvent(c, id, at, 'failed', 'refused', { error: refused });
  else if (decoded) await addEvent(c, id, at, 'decoded', 'decode', { ...decoded.detail, at: 'ingest' });
  return versionOf === undefined ? { id, disposition: 'new', sha256 } : { id, disposition: 'new-version', previousId: versionOf, sha256 };
}

type ClaimedRow = PostgresMessageRow & { previous_token: string | null; previous_worker: string | null; previous_due: Date | null };

/**
 * Claims the oldest due row in `state` whose claim is free or whose lease has run out. `SKIP
 * LOCKED` lets replicas claiming at once each take a different row instead of queueing on one.
 */
export async function claimNextRow(c: PoolClient, state: MessageState, workerId: string, leaseMs: number, now: Date): Promise<ClaimedMessage | undefined> {
  const claimToken = randomUUID();
  const row = (await c.query<ClaimedRow>(
    `WITH next AS (
       SELECT id, claim_token AS previous_token, claimed_by AS previous_worker, due_at AS previous_due FROM messages
        WHERE state = $1 AND (claim_token IS NULL OR lease_until <= $2) AND (due_at IS NULL OR due_at <= $2)
        ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
     UPDATE messages m SET claim_token = $3, claimed_by = $4, lease_until = $5, due_at = NULL, attempts = m.attempts + 1
       FROM next WHERE m.id = next.id
     RETURNING m.*, next.previous_token, next.previous_worker, next.previous_due`,
    [state, now, claimToken, workerId, new Date(now.getTime() + leaseMs)],
  )).rows[0];
  if (!row) return undefined;
  // A retry's due time is cleared once it is claimed, so a token left without one is a holder that never transitioned.
  if (row.previous_token !== null && row.previous_due === null) {
    // The previous holder died (or stalled) without a transition: note the takeover.
    await addEvent(c, row.id, now, row.state, 'lease-expired', { previousWorker: row.previous_worker });
  }
  const raw = (await c.query<{ bytes: Buffer }>('SELECT bytes FROM message_raw WHERE message_id = $1', [row.id])).rows[0];
  if (!raw) throw new GatewayError('INTERNAL', 'a claimed message has no raw bytes', { field: row.id });
  // An exact copy, not a view on a pooled slab: workers may transfer its ArrayBuffer.
  return { row: toMessageRow(row), claimToken, raw: new Uint8Array(raw.bytes) };
}

/**
 * Throws STORE_CLAIM_LOST unless the token still holds the row in hand. `due_at` is NULL while
 * a claim is worked on (claimNextRow clears it); a retry's transition sets it and keeps the
 * token, so a late renewal must not push that row's lease past its retry time.
 */
export async function renewLeaseRow(c: PoolClient, id: string, claimToken: string, leaseMs: number, now: Date): Promise<void> {
  const { rowCount } = await c.query('UPDATE messages SET lease_until = $1 WHERE id = $2 AND claim_token = $3 AND due_at IS NULL', [
    new Date(now.getTime() + leaseMs), id, claimToken,
  ]);
  if (rowCount !== 1) throw new GatewayError('STORE_CLAIM_LOST', 'the claim on this message was lost (taken over or released) before its lease was renewed', { field: id });
}

/** Throws STORE_CLAIM_LOST when the token no longer holds the row. */
export async function transitionRow(c: PoolClient, id: string, claimToken: string, t: Transition, now: Date): Promise<void> {
  const current = (await c.query<{ results: unknown }>('SELECT results FROM messages WHERE id = $1 AND claim_token = $2 FOR UPDATE', [id, claimToken])).rows[0];
  if (!current) throw new GatewayError('STORE_CLAIM_LOST', 'the claim on this message was lost (lease expired and taken over)', { field: id });
  const previous = typeof current.results === 'object' && current.results !== null ? current.results : {};
  const results = t.results ? { ...previous, ...t.results } : current.results;
  const retry = t.retryAt ?? null;
  await c.query(
    `UPDATE messages SET state = $1, updated_at = $2, due_at = $3, lease_until = $3,
       claim_token = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE claim_token END,
       claimed_by = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE claimed_by END,
       last_error_code = $4, last_error_field = $5, last_error_message = $6,
       summary = COALESCE($7::jsonb, summary), results = $8::jsonb
     WHERE id = $9`,
    [
      t.to, now, retry, t.error?.code ?? null, t.error?.field ?? null, t.error?.message ?? null,
      t.summary ? JSON.stringify(t.summary) : null, results === null || results === undefined ? null : JSON.stringify(results), id,
    ],
  );
  const detail: Record<string, unknown> = { ...t.detail };
  if (t.error) detail['error'] = t.error;
  if (retry !== null) detail['retryAt'] = retry.toISOString();
  await addEvent(c, id, now, t.to, t.event, detail);
}

/** Throws API_NOT_FOUND, or MESSAGE_STATE_CONFLICT unless the row is failed or dead. */
export async function replayRow(c: PoolClient, id: string, state: MessageState, now: Date): Promise<MessageRow> {
  const row = (await c.query<{ state: MessageState }>('SELECT state FROM messages WHERE id = $1 FOR UPDATE', [id])).rows[0];
  if (!row) throw new GatewayError('API_NOT_FOUND', 'no message with this id', { field: 'id' });
  if (!REPLAYABLE.has(row.state)) {
    throw new GatewayError('MESSAGE_STATE_CONFLICT', `only failed or dead messages can be replayed; this one is ${row.state}`, { field: 'state' });
  }
  const updated = (await c.query<PostgresMessageRow>(
    `UPDATE messages SET state = $1, updated_at = $2, attempts = 0, due_at = NULL, claim_token = NULL, claimed_by = NULL,
       lease_until = NULL, last_error_code = NULL, last_error_field = NULL, last_error_message = NULL WHERE id = $3 RETURNING *`,
    [state, now, id],
  )).rows[0]!;
  await addEvent(c, id, now, state, 'replay', { from: row.state });
  return toMessageRow(updated);
}
