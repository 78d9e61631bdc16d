import { Pool, type PoolClient } from 'pg';
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
import { applyPostgresMigrations } from './postgres-migrations';
import { toMessageRow, toTimelineEvent, type PostgresMessageRow, type PostgresTimelineRow } from './postgres-row';
import { claimNextRow, insertMessage, renewLeaseRow, replayRow, transitionRow } from './postgres-writes';
import { poolSettings } from './postgres-pool-settings';

export interface PostgresStoreOptions {
  /** `DATABASE_URL`, e.g. `postgres://gateway@db:5432/ecg` (may carry `?options=-c search_path=…`). */
  connectionString: string;
  /** Schema to create (if missing) and work in; unset: the connection's own search_path. */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function unavailable(why: string, cause?: unknown): GatewayError {
  return new GatewayError('STORE_UNAVAILABLE', `the store cannot commit now (${why})`, cause === undefined ? {} : { cause });
}

/** GatewayErrors (claim lost, not found, state conflict) pass through; driver errors are STORE_UNAVAILABLE. */
function storeError(err: unknown): GatewayError {
  if (isGatewayError(err)) return err;
  return unavailable(err instanceof Error ? err.message : 'unknown error', err);
}

/**
 * The shared store for several replicas: PostgreSQL through a `pg` pool. Every write is one
 * transaction, and a resolved `receive()` has been committed with the server's default
 * `synchronous_commit = on` (WAL flushed), the commit a listener waits for before its ACK.
 * Work is claimed row by row with `FOR UPDATE SKIP LOCKED` and a lease that expires, so a
 * replica that dies mid-message hands its row on, and one row is never worked on twice at once.
 */
export class PostgresMessageStore extends MessageStore {
  private readonly pool: Pool;
  private closed = false;

  constructor(private readonly options: PostgresStoreOptions) {
    super();
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new GatewayError('CONFIG_INVALID', 'the store schema name must be a lower-case SQL identifier', { field: 'schema' });
    }
    this.pool = new Pool(
      poolSettings(options.connectionString, {
        max: options.poolSize ?? 10,
        ...(options.schema !== undefined ? { options: `-c search_path=${options.schema}` } : {}),
      }),
    );
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    await this.withClient((c) => applyPostgresMigrations(c, this.options.schema, new Date()));
  }

  receive(message: IncomingMessage): Promise<ReceiveOutcome> {
    return this.inTransaction((c) => insertMessage(c, message));
  }

  claimNext(state: MessageState, workerId: string, leaseMs: number, now: Date): Promise<ClaimedMessage | undefined> {
    return this.inTransaction((c) => claimNextRow(c, state, workerId, leaseMs, now));
  }

  async renewLease(id: string, claimToken: string, leaseMs: number, now: Date): Promise<void> {
    // One UPDATE is its own transaction: no BEGIN/COMMIT round trips for a call made every few seconds per message.
    await this.withClient((c) => renewLeaseRow(c, id, claimToken, leaseMs, now));
  }

  transition(id: string, claimToken: string, transition: Transition, now: Date): Promise<void> {
    return this.inTransaction((c) => transitionRow(c, id, claimToken, transition, now));
  }

  replay(id: string, state: MessageState, now: Date): Promise<MessageRow> {
    return this.inTransaction((c) => replayRow(c, id, state, now));
  }

  async get(id: string): Promise<MessageRow | undefined> {
    const row = (await this.query<PostgresMessageRow>('SELECT * FROM messages WHERE id = $1', [id]))[0];
    return row ? toMessageRow(row) : undefined;
  }

  async getRaw(id: string): Promise<Uint8Array | undefined> {
    const raw = (await this.query<{ bytes: Buffer }>('SELECT bytes FROM message_raw WHERE message_id = $1', [id]))[0];
    return raw ? new Uint8Array(raw.bytes) : undefined;
  }

  async timeline(id: string): Promise<TimelineEvent[]> {
    const rows = await this.query<PostgresTimelineRow>('SELECT at, state, event, detail FROM message_timeline WHERE message_id = $1 ORDER BY seq', [id]);
    return rows.map(toTimelineEvent);
  }

  async list(filter: MessageFilter): Promise<MessagePage> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      args.push(value);
      where.push(clause.replace('?', `$${args.length}`));
    };
    if (filter.state !== undefined) add('state = ?', filter.state);
    if (filter.protocol !== undefined) add('protocol = ?', filter.protocol);
    if (filter.since !== undefined) add('received_at >= ?', filter.since);
    if (filter.until !== undefined) add('received_at < ?', filter.until);
    if (filter.cursor !== undefined) add('seq < ?', decodePageCursor(filter.cursor));
    args.push(filter.limit + 1);
    const text = `SELECT * FROM messages ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${args.length}`;
    const rows = await this.query<PostgresMessageRow>(text, args);
    const page = rows.slice(0, filter.limit);
    const result: MessagePage = { items: page.map(toMessageRow) };
    const last = page[page.length - 1];
    if (rows.length > filter.limit && last) result.nextCursor = encodePageCursor(Number(last.seq));
    return result;
  }

  async countByState(): Promise<Readonly<Record<MessageState, number>>> {
    const counts = Object.fromEntries(MESSAGE_STATES.map((s) => [s, 0])) as Record<MessageState, number>;
    for (const r of await this.query<{ state: MessageState; n: number }>('SELECT state, COUNT(*)::int AS n FROM messages GROUP BY state', [])) {
      counts[r.state] = r.n;
    }
    return counts;
  }

  /** One real committed write, as the SQLite adapter does: what /health calls "writable". */
  async isWritable(): Promise<boolean> {
    try {
      await this.query('INSERT INTO store_probe (id, at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at = excluded.at', []);
      return true;
    } catch (err: unknown) {
      if (isGatewayError(err) && err.code === 'STORE_UNAVAILABLE') return false;
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async query<R extends object>(text: string, args: readonly unknown[]): Promise<R[]> {
    return this.withClient(async (c) => (await c.query<R>(text, args as unknown[])).rows);
  }

  private async inTransaction<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (c) => {
      await c.query('BEGIN');
      try {
        const value = await fn(c);
        await c.query('COMMIT');
        return value;
      } catch (err: unknown) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Runs `fn` on a pooled connection; a connection that failed mid-use is discarded, not reused. */
  private async withClient<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) throw unavailable('the store is closed');
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err: unknown) {
      throw storeError(err);
    }
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (err: unknown) {
      if (!isGatewayError(err)) broken = err instanceof Error ? err : new Error('query failed');
      throw storeError(err);
    } finally {
      client.release(broken);
    }
  }
}
