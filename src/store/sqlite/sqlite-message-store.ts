import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GatewayError, isGatewayError } from '../../errors/gateway-error';
import {
  MESSAGE_STATES,
  type ClaimedMessage,
  type IncomingMessage,
  type MessageFilter,
  type MessagePage,
  type MessageRow,
  type MessageState,
  type ReceiveOutcome,
  type TimelineEvent,
} from '../message';
import { MessageStore, type Transition } from '../message-store.port';
import { decodePageCursor, encodePageCursor } from '../page-cursor';
import { applySqliteMigrations } from './sqlite-migrations';
import { toMessageRow, toTimelineEvent, type SqliteMessageRow, type SqliteTimelineRow } from './sqlite-row';

export interface SqliteStoreOptions {
  /** Path of the database file (created with its folder). */
  file: string;
  /**
   * Commit every `receive` arriving in the same event-loop turn in one transaction (one fsync),
   * resolving each promise only after that commit. Off: one transaction per message.
   */
  groupCommit?: boolean;
}

interface PendingReceive {
  message: IncomingMessage;
  sha256: string;
  resolve: (outcome: ReceiveOutcome) => void;
  reject: (err: unknown) => void;
}

const REPLAYABLE: ReadonlySet<MessageState> = new Set(['failed', 'dead']);

function storeUnavailable(err: unknown): GatewayError {
  if (isGatewayError(err)) return err;
  return new GatewayError('STORE_UNAVAILABLE', `the store cannot commit now (${err instanceof Error ? err.message : 'unknown error'})`, { cause: err });
}

/**
 * The embedded store: one SQLite file in DATA_DIR, WAL journal, `synchronous=FULL` so a
 * committed transaction survives a power cut — the commit a listener waits for before its ACK.
 * better-sqlite3 is synchronous: every transaction here is a few statements on indexed rows.
 */
export class SqliteMessageStore extends MessageStore {
  private readonly db: Database.Database;
  private readonly groupCommit: boolean;
  private readonly statements = new Map<string, Database.Statement>();
  private pending: PendingReceive[] = [];
  private flushScheduled = false;

  constructor(options: SqliteStoreOptions) {
    super();
    mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsynced at every commit, so a resolved receive() survives power loss.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.groupCommit = options.groupCommit ?? true;
  }

  migrate(): Promise<void> {
    applySqliteMigrations(this.db, () => new Date().toISOString());
    return Promise.resolve();
  }

  receive(message: IncomingMessage): Promise<ReceiveOutcome> {
    const sha256 = createHash('sha256').update(message.raw).digest('hex');
    if (!this.groupCommit) {
      try {
        return Promise.resolve(this.db.transaction(() => this.insert(message, sha256)).immediate());
      } catch (err: unknown) {
        return Promise.reject(storeUnavailable(err));
      }
    }
    return new Promise<ReceiveOutcome>((resolve, reject) => {
      this.pending.push({ message, sha256, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Group commit: everything queued since the last flush goes in one transaction, one fsync. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let outcomes: ReceiveOutcome[];
    try {
      outcomes = this.db.transaction(() => batch.map((p) => this.insert(p.message, p.sha256))).immediate();
    } catch (err: unknown) {
      const e = storeUnavailable(err);
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => p.resolve(outcomes[i]!));
  }

  private insert(message: IncomingMessage, sha256: string): ReceiveOutcome {
    const at = message.receivedAt.toISOString();
    let versionOf: string | undefined;
    if (message.dedupKey !== undefined) {
      const same = this.sql('SELECT id, state FROM messages WHERE dedup_key = ? AND sha256 = ? ORDER BY seq LIMIT 1')
        .get(message.dedupKey, sha256) as { id: string; state: string } | undefined;
      if (same) {
        this.sql('UPDATE messages SET repeats = repeats + 1, updated_at = ? WHERE id = ?').run(at, same.id);
        this.addEvent(same.id, at, same.state, 'repeat', { peerAddress: message.peer.address ?? null });
        return { id: same.id, disposition: 'repeat', previousId: same.id, sha256 };
      }
      const latest = this.sql('SELECT id FROM messages WHERE dedup_key = ? ORDER BY seq DESC LIMIT 1')
        .get(message.dedupKey) as { id: string } | undefined;
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
    return versionOf === undefined
      ? { id, disposition: 'new', sha256 }
      : { id, disposition: 'new-version', previousId: versionOf, sha256 };
  }

  private addEvent(id: string, at: string, state: string, event: string, detail: Readonly<Record<string, unknown>>): void {
    const json = Object.keys(detail).length > 0 ? JSON.stringify(detail) : null;
    this.sql('INSERT INTO message_timeline (message_id, at, state, event, detail_json) VALUES (?, ?, ?, ?, ?)').run(id, at, state, event, json);
  }

  claimNext(state: MessageState, workerId: string, leaseMs: number, now: Date): Promise<ClaimedMessage | undefined> {
    const at = now.toISOString();
    const claim = this.db.transaction((): ClaimedMessage | undefined => {
      const row = this.sql(
          `SELECT * FROM messages WHERE state = ? AND (claim_token IS NULL OR lease_until <= ?)
             AND (due_at IS NULL OR due_at <= ?) ORDER BY seq LIMIT 1`,
        )
        .get(state, at, at) as SqliteMessageRow | undefined;
      if (!row) return undefined;
      const claimToken = randomUUID();
      const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
      this.sql('UPDATE messages SET claim_token = ?, claimed_by = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?')
        .run(claimToken, workerId, leaseUntil, row.id);
      if (row.claim_token !== null && row.due_at === null) {
        // The previous holder died (or stalled) without a transition: note the takeover.
        this.addEvent(row.id, at, row.state, 'lease-expired', { previousWorker: row.claimed_by });
      }
      const raw = this.sql('SELECT bytes FROM message_raw WHERE message_id = ?').get(row.id) as { bytes: Buffer };
      return {
        row: toMessageRow({ ...row, attempts: row.attempts + 1 }),
        claimToken,
        raw: new Uint8Array(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength),
      };
    });
    return this.run(() => claim.immediate());
  }

  transition(id: string, claimToken: string, t: Transition, now: Date): Promise<void> {
    const at = now.toISOString();
    const apply = this.db.transaction(() => {
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
        )
        .run(
          t.to, at, retry, retry, retry, retry,
          t.error?.code ?? null, t.error?.field ?? null, t.error?.message ?? null,
          t.summary ? JSON.stringify(t.summary) : null, results, id,
        );
      const detail: Record<string, unknown> = { ...t.detail };
      if (t.error) detail['error'] = t.error;
      if (retry !== null) detail['retryAt'] = retry;
      this.addEvent(id, at, t.to, t.event, detail);
    });
    return this.run(() => apply.immediate());
  }

  replay(id: string, state: MessageState, now: Date): Promise<MessageRow> {
    const at = now.toISOString();
    const apply = this.db.transaction((): MessageRow => {
      const row = this.sql('SELECT state FROM messages WHERE id = ?').get(id) as { state: MessageState } | undefined;
      if (!row) throw new GatewayError('API_NOT_FOUND', 'no message with this id', { field: 'id' });
      if (!REPLAYABLE.has(row.state)) {
        throw new GatewayError('MESSAGE_STATE_CONFLICT', `only failed or dead messages can be replayed; this one is ${row.state}`, { field: 'state' });
      }
      this.sql(
          `UPDATE messages SET state = ?, updated_at = ?, attempts = 0, due_at = NULL, claim_token = NULL, claimed_by = NULL,
             lease_until = NULL, last_error_code = NULL, last_error_field = NULL, last_error_message = NULL WHERE id = ?`,
        )
        .run(state, at, id);
      this.addEvent(id, at, state, 'replay', { from: row.state });
      return toMessageRow(this.sql('SELECT * FROM messages WHERE id = ?').get(id) as SqliteMessageRow);
    });
    return this.run(() => apply.immediate());
  }

  get(id: string): Promise<MessageRow | undefined> {
    return this.run(() => {
      const row = this.sql('SELECT * FROM messages WHERE id = ?').get(id) as SqliteMessageRow | undefined;
      return row ? toMessageRow(row) : undefined;
    });
  }

  getRaw(id: string): Promise<Uint8Array | undefined> {
    return this.run(() => {
      const raw = this.sql('SELECT bytes FROM message_raw WHERE message_id = ?').get(id) as { bytes: Buffer } | undefined;
      return raw ? new Uint8Array(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength) : undefined;
    });
  }

  timeline(id: string): Promise<TimelineEvent[]> {
    return this.run(() =>
      (this.sql('SELECT at, state, event, detail_json FROM message_timeline WHERE message_id = ? ORDER BY seq').all(id) as SqliteTimelineRow[]).map(
        toTimelineEvent,
      ),
    );
  }

  list(filter: MessageFilter): Promise<MessagePage> {
    return this.run(() => {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (filter.state !== undefined) (where.push('state = ?'), args.push(filter.state));
      if (filter.protocol !== undefined) (where.push('protocol = ?'), args.push(filter.protocol));
      if (filter.since !== undefined) (where.push('received_at >= ?'), args.push(filter.since.toISOString()));
      if (filter.until !== undefined) (where.push('received_at < ?'), args.push(filter.until.toISOString()));
      if (filter.cursor !== undefined) (where.push('seq < ?'), args.push(decodePageCursor(filter.cursor)));
      const sql = `SELECT * FROM messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      const rows = this.sql(sql).all(...args, filter.limit + 1) as SqliteMessageRow[];
      const page = rows.slice(0, filter.limit);
      const result: MessagePage = { items: page.map(toMessageRow) };
      const last = page[page.length - 1];
      if (rows.length > filter.limit && last) result.nextCursor = encodePageCursor(last.seq);
      return result;
    });
  }

  countByState(): Promise<Readonly<Record<MessageState, number>>> {
    return this.run(() => {
      const counts = Object.fromEntries(MESSAGE_STATES.map((s) => [s, 0])) as Record<MessageState, number>;
      for (const r of this.sql('SELECT state, COUNT(*) AS n FROM messages GROUP BY state').all() as { state: MessageState; n: number }[]) {
        counts[r.state] = r.n;
      }
      return counts;
    });
  }

  isWritable(): Promise<boolean> {
    try {
      this.sql('INSERT INTO store_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(new Date().toISOString());
      return Promise.resolve(true);
    } catch {
      // Any failure to write means "not ready"; /health reports it, the reason is in the store logs.
      return Promise.resolve(false);
    }
  }

  close(): Promise<void> {
    if (this.db.open) {
      this.flush();
      this.db.close();
    }
    return Promise.resolve();
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

  /** Runs a synchronous statement; driver errors become STORE_UNAVAILABLE, GatewayErrors pass through. */
  private run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (err: unknown) {
      return Promise.reject(storeUnavailable(err));
    }
  }
}
