import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, type ErrorCode } from '../../errors/error-codes';
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
import { toMessageRow, toTimelineEvent, type SqliteMessageRow, type SqliteTimelineRow } from './sqlite-row';
import type { WriterOptions, WriterRequest, WriterResponse } from './sqlite-writer-thread';

export interface SqliteStoreOptions {
  /** Path of the database file (created with its folder). */
  file: string;
  /**
   * Commit the receives that queue up while a commit is in progress in one transaction (one
   * fsync), resolving each only after that commit. Off: one transaction per message.
   */
  groupCommit?: boolean;
}

type WriteOp = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: GatewayError) => void;
}

function unavailable(why: string, cause?: unknown): GatewayError {
  return new GatewayError('STORE_UNAVAILABLE', `the store cannot commit now (${why})`, cause === undefined ? {} : { cause });
}

/**
 * The embedded store: one SQLite file in DATA_DIR in WAL mode, with `synchronous=FULL` so a
 * committed transaction survives a power cut — the commit a listener waits for before its ACK.
 *
 * Writes run on a writer thread that owns the only read-write connection (sqlite-writer-thread.ts):
 * better-sqlite3 is synchronous, and a commit's fsync (~4 ms on a VM disk) on the event loop
 * would stall every socket and keep commits from grouping. Reads (get, list, timeline) run
 * here on a read-only connection: WAL readers never wait for the writer and see every commit
 * whose promise has resolved.
 */
export class SqliteMessageStore extends MessageStore {
  private readonly writer: Worker;
  private reader: Database.Database | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private broken: GatewayError | undefined;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly options: SqliteStoreOptions) {
    super();
    mkdirSync(dirname(options.file), { recursive: true });
    const workerData: WriterOptions = { file: options.file, groupCommit: options.groupCommit ?? true };
    this.writer = new Worker(join(__dirname, 'sqlite-writer-thread.js'), { workerData });
    this.writer.on('message', (res: WriterResponse) => this.settle(res));
    this.writer.on('error', (err: Error) => this.fail(unavailable(`writer thread failed: ${err.message}`, err)));
    this.writer.on('exit', () => this.fail(unavailable('the store is closed')));
    this.writer.unref(); // referenced only while a write is pending (see call)
  }

  async migrate(): Promise<void> {
    await this.call({ op: 'migrate', now: new Date() });
    if (!this.reader) {
      this.reader = new Database(this.options.file, { readonly: true, fileMustExist: true });
      this.reader.pragma('busy_timeout = 5000');
    }
  }

  receive(message: IncomingMessage): Promise<ReceiveOutcome> {
    // One copy of exactly the message's bytes, handed over to the writer (not cloned again).
    const raw = new Uint8Array(message.raw);
    return this.call({ op: 'receive', message: { ...message, raw } }, [raw.buffer]) as Promise<ReceiveOutcome>;
  }

  claimNext(state: MessageState, workerId: string, leaseMs: number, now: Date): Promise<ClaimedMessage | undefined> {
    return this.call({ op: 'claimNext', state, workerId, leaseMs, now }) as Promise<ClaimedMessage | undefined>;
  }

  async renewLease(id: string, claimToken: string, leaseMs: number, now: Date): Promise<void> {
    await this.call({ op: 'renewLease', messageId: id, claimToken, leaseMs, now });
  }

  async transition(id: string, claimToken: string, transition: Transition, now: Date): Promise<void> {
    await this.call({ op: 'transition', messageId: id, claimToken, transition, now });
  }

  replay(id: string, state: MessageState, now: Date): Promise<MessageRow> {
    return this.call({ op: 'replay', messageId: id, state, now }) as Promise<MessageRow>;
  }

  get(id: string): Promise<MessageRow | undefined> {
    return this.read((db) => {
      const row = this.sql(db, 'SELECT * FROM messages WHERE id = ?').get(id) as SqliteMessageRow | undefined;
      return row ? toMessageRow(row) : undefined;
    });
  }

  getRaw(id: string): Promise<Uint8Array | undefined> {
    return this.read((db) => {
      const raw = this.sql(db, 'SELECT bytes FROM message_raw WHERE message_id = ?').get(id) as { bytes: Buffer } | undefined;
      return raw ? new Uint8Array(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength) : undefined;
    });
  }

  timeline(id: string): Promise<TimelineEvent[]> {
    return this.read((db) =>
      (this.sql(db, 'SELECT at, state, event, detail_json FROM message_timeline WHERE message_id = ? ORDER BY seq').all(id) as SqliteTimelineRow[]).map(toTimelineEvent),
    );
  }

  list(filter: MessageFilter): Promise<MessagePage> {
    return this.read((db) => {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (filter.state !== undefined) (where.push('state = ?'), args.push(filter.state));
      if (filter.protocol !== undefined) (where.push('protocol = ?'), args.push(filter.protocol));
      if (filter.since !== undefined) (where.push('received_at >= ?'), args.push(filter.since.toISOString()));
      if (filter.until !== undefined) (where.push('received_at < ?'), args.push(filter.until.toISOString()));
      if (filter.cursor !== undefined) (where.push('seq < ?'), args.push(decodePageCursor(filter.cursor)));
      const text = `SELECT * FROM messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      const rows = this.sql(db, text).all(...args, filter.limit + 1) as SqliteMessageRow[];
      const page = rows.slice(0, filter.limit);
      const result: MessagePage = { items: page.map(toMessageRow) };
      const last = page[page.length - 1];
      if (rows.length > filter.limit && last) result.nextCursor = encodePageCursor(last.seq);
      return result;
    });
  }

  countByState(): Promise<Readonly<Record<MessageState, number>>> {
    return this.read((db) => {
      const counts = Object.fromEntries(MESSAGE_STATES.map((s) => [s, 0])) as Record<MessageState, number>;
      for (const r of this.sql(db, 'SELECT state, COUNT(*) AS n FROM messages GROUP BY state').all() as { state: MessageState; n: number }[]) {
        counts[r.state] = r.n;
      }
      return counts;
    });
  }

  async isWritable(): Promise<boolean> {
    try {
      await this.call({ op: 'probe', now: new Date() });
      return true;
    } catch (err: unknown) {
      if (isGatewayError(err) && err.code === 'STORE_UNAVAILABLE') return false;
      throw err;
    }
  }

  /** The writer connection's journal mode and synchronous level (2 = FULL), for checks. */
  connectionSettings(): Promise<{ journalMode: string; synchronous: number }> {
    return this.call({ op: 'settings' }) as Promise<{ journalMode: string; synchronous: number }>;
  }

  async close(): Promise<void> {
    if (this.broken) return;
    try {
      await this.call({ op: 'close' });
    } finally {
      this.fail(unavailable('the store is closed'));
      await this.writer.terminate();
      this.reader?.close();
    }
  }

  private call(op: WriteOp, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.writer.ref();
      this.writer.postMessage({ ...op, id }, transfer);
    });
  }

  private settle(res: WriterResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    if (this.pending.size === 0) this.writer.unref();
    if (res.ok) {
      p.resolve(res.value);
      return;
    }
    const code: ErrorCode = res.error.code in ERROR_CODES ? (res.error.code as ErrorCode) : 'STORE_UNAVAILABLE';
    p.reject(new GatewayError(code, res.error.message, res.error.field === undefined ? {} : { field: res.error.field }));
  }

  /** The writer is gone: every waiting and later write fails with STORE_UNAVAILABLE. */
  private fail(err: GatewayError): void {
    this.broken ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** Runs a synchronous read; driver errors become STORE_UNAVAILABLE, GatewayErrors pass through. */
  private read<T>(fn: (db: Database.Database) => T): Promise<T> {
    try {
      if (!this.reader?.open) throw unavailable(this.broken ? 'the store is closed' : 'the store is not migrated yet');
      return Promise.resolve(fn(this.reader));
    } catch (err: unknown) {
      return Promise.reject(isGatewayError(err) ? err : unavailable(err instanceof Error ? err.message : 'read failed', err));
    }
  }

  private sql(db: Database.Database, text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }
}
