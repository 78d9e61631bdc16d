import type Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { GatewayError } from '../../errors/gateway-error';
import type { ClaimedMessage, IncomingMessage, MessageRow, MessageState, ReceiveOutcome } from '../message';
import type { Transition } from '../message-store.port';
import { toMessageRow, type SqliteMessageRow } from './sqlite-row';

const REPLAYABLE: ReadonlySet<MessageState> = new Set(['failed', 'dead']);

/**
 * Every write of the SQLite store, as short synchronous transactions on one connection. Runs on
 * the store's writer thread (sqlite-writer-thread.ts), so the fsync of a commit never blocks the
 * event loop that frames, decodes and acknowledges.
 */
export class SqliteWrites {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** Commits the messages in one transaction (one fsync): all of them, or none (throws). */
  receiveBatch(messages: readonly IncomingMessage[]): ReceiveOutcome[] {
    const hashed = messages.map((m) => ({ m, sha256: createHash('sha256').update(m.raw).digest('hex') }));
    return this.db.transaction(() => hashed.map(({ m, sha256 }) => this.insert(m, sha256))).immediate();
  }

  claimNext(state: MessageState, workerId: string, leaseMs: number, now: Date): ClaimedMessage | undefined {
    const at = now.toISOString();
    return this.db.transaction((): ClaimedMessage | undefined => {
      const row = this.sql(
        `SELECT * FROM messages WHERE state = ? AND (claim_token IS NULL OR lease_until <= ?)
           AND (due_at IS NULL OR due_at <= ?) ORDER BY seq LIMIT 1`,
      ).get(state, at, at) as SqliteMessageRow | undefined;
      if (!row) return undefined;
      const claimToken = randomUUID();
      const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
      // A retry's due time is cleared once it is claimed, so a token left without one is a holder that never transitioned.
      this.sql('UPDATE messages SET claim_token = ?, claimed_by = ?, lease_until = ?, due_at = NULL, attempts = attempts + 1 WHERE id = ?').run(
        claimToken, workerId, leaseUntil, row.id,
      );
      if (row.claim_token !== null && row.due_at === null) {
        // The previous holder died (or stalled) without a transition: note the takeover.
        this.addEvent(row.id, at, row.state, 'lease-expired', { previousWorker: row.claimed_by });
      }
      const raw = this.sql('SELECT bytes FROM message_raw WHERE message_id = ?').get(row.id) as { bytes: Buffer };
      return {
        row: toMessageRow({ ...row, attempts: row.attempts + 1 }),
        claimToken,
        raw: new Uint8Array(raw.bytes), // an exact copy: it is posted back to the event loop
      };
    }).immediate();
  }

  /**
   * Throws STORE_CLAIM_LOST unless the token still holds the row in hand. `due_at` is NULL while
   * a claim is worked on (claimNext clears it); a retry's transition sets it and keeps the token,
   * so a late renewal must not push that row's lease past its retry time.
   */
  renewLease(id: string, claimToken: string, leaseMs: number, now: Date): void {
    const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
    const { changes } = this.sql('UPDATE messages SET lease_until = ? WHERE id = ? AND claim_token = ? AND due_at IS NULL').run(leaseUntil, id, claimToken);
    if (changes !== 1) throw new GatewayError('STORE_CLAIM_LOST', 'the claim on this message was lost (taken over or released) before its lease was renewed', { field: id });
  }

  /** Throws STORE_CLAIM_LOST when the token no longer holds the row. */
  transition(id: string, claimToken: string, t: Transition, now: Date): void {
    const at = now.toISOString();
    this.db.transaction(() => {
      const current = this.sql('SELECT results_json FROM messages WHERE id = ? AND claim_token = ?').get(id, claimToken) as
        | { results_json: string | null }
        | undefined;
      if (!current) throw new GatewayError('STORE_CLAIM_LOST', 'the claim on this message was lost (lease expired and taken over)', { field: id });
      const results = t.results ? JSON.stringify({ ...(current.results_json ? (JSON.parse(current.results_json) as object) : {}), ...t.results }) : current.results_json;
      const retry = t.retryAt?.toISOString() ?? null;
      this.sql(
        `UPDATE messages SET state = ?, updated_at = ?, due_at = ?, lease_until = ?,
           claim_token = CASE WHEN ? IS NULL THEN NULL ELSE claim_token END,
           claimed_by = CASE WHEN ? IS NULL THEN NULL ELSE claimed_by END,
           last_error_code = ?, last_error_field = ?, last_error_message = ?,
           summary_json = COALESCE(?, summary_json), results_json = ?
         WHERE id = ?`,
      ).run(
        t.to, at, retry, retry, retry, retry,
        t.error?.code ?? null, t.error?.field ?? null, t.error?.message ?? null,
        t.summary ? JSON.stringify(t.summary) : null, results, id,
      );
      const detail: Record<string, unknown> = { ...t.detail };
      if (t.error) detail['error'] = t.error;
      if (retry !== null) detail['retryAt'] = retry;
      this.addEvent(id, at, t.to, t.event, detail);
    }).immediate();
  }

  /** Throws API_NOT_FOUND, or MESSAGE_STATE_CONFLICT unless the row is failed or dead. */
  replay(id: string, state: MessageState, now: Date): MessageRow {
    const at = now.toISOString();
    return this.db.transaction((): MessageRow => {
      const row = this.sql('SELECT state FROM messages WHERE id = ?').get(id) as { state: MessageState } | undefined;
      if (!row) throw new GatewayError('API_NOT_FOUND', 'no message with this id', { field: 'id' });
      if (!REPLAYABLE.has(row.state)) {
        throw new GatewayError('MESSAGE_STATE_CONFLICT', `only failed or dead messages can be replayed; this one is ${row.state}`, { field: 'state' });
      }
      this.sql(
        `UPDATE messages SET state = ?, updated_at = ?, attempts = 0, due_at = NULL, claim_token = NULL, claimed_by = NULL,
           lease_until = NULL, last_error_code = NULL, last_error_field = NULL, last_error_message = NULL WHERE id = ?`,
      ).run(state, at, id);
      this.addEvent(id, at, state, 'replay', { from: row.state });
      return toMessageRow(this.sql('SELECT * FROM messages WHERE id = ?').get(id) as SqliteMessageRow);
    }).immediate();
  }

  /** One real committed write: what /health calls "writable". */
  probe(now: Date): void {
    this.sql('INSERT INTO store_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(now.toISOString());
  }

  private insert(message: IncomingMessage, sha256: string): ReceiveOutcome {
    const at = message.receivedAt.toISOString();
    let versionOf: string | undefined;
    if (message.dedupKey !== undefined) {
      const same = this.sql('SELECT id, state FROM messages WHERE dedup_key = ? AND sha256 = ? ORDER BY seq LIMIT 1').get(message.dedupKey, sha256) as
        | { id: string; state: string }
        | undefined;
      if (same) {
        this.sql('UPDATE messages SET repeats = repeats + 1, updated_at = ? WHERE id = ?').run(at, same.id);
        this.addEvent(same.id, at, same.state, 'repeat', { peerAddress: message.peer.address ?? null });
        return { id: same.id, disposition: 'repeat', previousId: same.id, sha256 };
      }
      const latest = this.sql('SELECT id FROM messages WHERE dedup_key = ? ORDER BY seq DESC LIMIT 1').get(message.dedupKey) as { id: string } | undefined;
      versionOf = latest?.id;
    }
    const id = randomUUID();
    const { refused, decoded } = message;
    const state: MessageState = refused ? 'failed' : decoded ? 'decoded' : 'received';
    this.sql(
      `INSERT INTO messages (id, protocol, peer_address, peer_calling_ae, peer_sending_app, peer_sending_facility,
         source_id, dedup_key, content_type, sha256, size_bytes, state, last_error_code, last_error_field,
         last_error_message, version_of, received_at, updated_at, summary_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id, message.protocol, message.peer.address ?? null, message.peer.callingAeTitle ?? null,
      message.peer.sendingApplication ?? null, message.peer.sendingFacility ?? null,
      message.sourceId ?? null, message.dedupKey ?? null, message.contentType, sha256, message.raw.byteLength, state,
      refused?.code ?? null, refused?.field ?? null, refused?.message ?? null, versionOf ?? null, at, at,
      decoded && !refused ? JSON.stringify(decoded.summary) : null,
    );
    this.sql('INSERT INTO message_raw (message_id, bytes) VALUES (?, ?)').run(id, Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.byteLength));
    const detail: Record<string, unknown> = {};
    if (versionOf !== undefined) detail['versionOf'] = versionOf;
    this.addEvent(id, at, 'received', 'received', detail);
    if (refused) this.addEvent(id, at, 'failed', 'refused', { error: refused });
    else if (decoded) this.addEvent(id, at, 'decoded', 'decode', { ...decoded.detail, at: 'ingest' });
    return versionOf === undefined ? { id, disposition: 'new', sha256 } : { id, disposition: 'new-version', previousId: versionOf, sha256 };
  }

  private addEvent(id: string, at: string, state: string, event: string, detail: Readonly<Record<string, unknown>>): void {
    const json = Object.keys(detail).length > 0 ? JSON.stringify(detail) : null;
    this.sql('INSERT INTO message_timeline (message_id, at, state, event, detail_json) VALUES (?, ?, ?, ?, ?)').run(id, at, state, event, json);
  }

  /** A cached prepared statement (preparing parses the SQL; these run thousands of times a minute). */
  private sql(text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }
}
