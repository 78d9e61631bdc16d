import { Pool } from 'pg';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import { decodePageCursor, encodePageCursor } from '../store/page-cursor';
import { applyPostgresMigrations } from '../store/postgres/postgres-migrations';
import type { ApiTokenInfo, AuditEvent, AuditFilter, AuditPage, NewAuditEvent, SessionRecord } from './access-records';
import { AccessStore } from './access-store.port';
import { poolSettings } from '../store/postgres/postgres-pool-settings';

export interface PostgresAccessStoreOptions {
  /** `DATABASE_URL` (may carry `?options=-c search_path=…`). */
  connectionString: string;
  /** Schema to work in (tests); unset: the connection's own search_path. */
  schema?: string;
}

interface AuditRow {
  id: string;
  at: Date;
  principal: string;
  action: string;
  message_id: string | null;
  detail: Record<string, unknown> | null;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function toAuditEvent(r: AuditRow): AuditEvent {
  const e: AuditEvent = { at: r.at.toISOString(), principal: r.principal, action: r.action };
  if (r.message_id !== null) e.messageId = r.message_id;
  if (r.detail !== null) e.detail = r.detail;
  return e;
}

/**
 * The access tables in the replicas' shared PostgreSQL. A small pool of its own: access traffic
 * (a lookup per /api request) must not queue behind pipeline claims on the message store's pool.
 */
export class PostgresAccessStore extends AccessStore {
  private readonly pool: Pool;

  constructor(private readonly options: PostgresAccessStoreOptions) {
    super();
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new GatewayError('CONFIG_INVALID', 'the store schema name must be a lower-case SQL identifier', { field: 'schema' });
    }
    this.pool = new Pool(
      poolSettings(options.connectionString, {
        max: 3,
        ...(options.schema !== undefined ? { options: `-c search_path=${options.schema}` } : {}),
      }),
    );
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    const client = await this.connect();
    try {
      await applyPostgresMigrations(client, this.options.schema, new Date()).catch((err: unknown) => Promise.reject(storeError(err)));
    } finally {
      client.release();
    }
  }

  async insertTokenIfAbsent(name: string, tokenHash: string, at: Date): Promise<boolean> {
    // ON CONFLICT DO NOTHING: replicas starting at once each try; exactly one insert wins.
    const rows = await this.query('INSERT INTO api_tokens (name, token_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING name', [name, tokenHash, at]);
    return rows.length === 1;
  }

  async upsertToken(name: string, tokenHash: string, at: Date): Promise<void> {
    // One statement: a new token (rotated secret) ends the sessions opened with the old one.
    await this.query(
      `WITH ended AS (DELETE FROM sessions WHERE principal = $1 AND EXISTS (SELECT 1 FROM api_tokens WHERE name = $1 AND token_hash <> $2))
       INSERT INTO api_tokens (name, token_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, revoked_at = NULL`,
      [name, tokenHash, at],
    );
  }

  async principalForToken(tokenHash: string): Promise<string | undefined> {
    return (await this.query<{ name: string }>('SELECT name FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash]))[0]?.name;
  }

  async listTokens(): Promise<ApiTokenInfo[]> {
    const rows = await this.query<{ name: string; created_at: Date; revoked_at: Date | null }>('SELECT name, created_at, revoked_at FROM api_tokens ORDER BY created_at, name');
    return rows.map((r) => (r.revoked_at === null ? { name: r.name, createdAt: r.created_at } : { name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  async revokeToken(name: string, at: Date): Promise<boolean> {
    // One statement: the revocation and the end of the principal's sessions commit together.
    const rows = await this.query<{ name: string }>(
      `WITH revoked AS (UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL RETURNING name),
            ended AS (DELETE FROM sessions WHERE principal IN (SELECT name FROM revoked))
       SELECT name FROM revoked`,
      [at, name],
    );
    return rows.length === 1;
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.query(
      `WITH expired AS (DELETE FROM sessions WHERE expires_at <= $3)
       INSERT INTO sessions (session_hash, principal, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
      [s.sessionHash, s.principal, s.createdAt, s.expiresAt],
    );
  }

  async findSession(sessionHash: string, now: Date): Promise<SessionRecord | undefined> {
    const r = (
      await this.query<{ session_hash: string; principal: string; created_at: Date; expires_at: Date }>('SELECT s.* FROM sessions s WHERE s.session_hash = $1 AND s.expires_at > $2 AND NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.name = s.principal AND t.revoked_at IS NOT NULL)', [sessionHash, now])
    )[0];
    return r && { sessionHash: r.session_hash, principal: r.principal, createdAt: r.created_at, expiresAt: r.expires_at };
  }

  async deleteSession(sessionHash: string): Promise<void> {
    await this.query('DELETE FROM sessions WHERE session_hash = $1', [sessionHash]);
  }

  async appendAudit(e: NewAuditEvent): Promise<void> {
    await this.query('INSERT INTO audit_events (at, principal, action, message_id, detail) VALUES ($1, $2, $3, $4, $5)', [
      e.at,
      e.principal,
      e.action,
      e.messageId ?? null,
      e.detail === undefined ? null : JSON.stringify(e.detail),
    ]);
  }

  async listAudit(filter: AuditFilter): Promise<AuditPage> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.messageId !== undefined) (args.push(filter.messageId), where.push(`message_id = $${args.length}`));
    if (filter.cursor !== undefined) (args.push(decodePageCursor(filter.cursor)), where.push(`id < $${args.length}`));
    args.push(filter.limit + 1);
    const rows = await this.query<AuditRow>(`SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${args.length}`, args);
    const page = rows.slice(0, filter.limit);
    const result: AuditPage = { items: page.map(toAuditEvent) };
    const last = page[page.length - 1];
    if (rows.length > filter.limit && last) result.nextCursor = encodePageCursor(Number(last.id));
    return result;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async connect(): Promise<import('pg').PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err: unknown) {
      throw storeError(err);
    }
  }

  private async query<R extends object = Record<string, unknown>>(text: string, args: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, args)).rows;
    } catch (err: unknown) {
      throw storeError(err);
    }
  }
}

/** GatewayErrors pass through; driver errors are STORE_UNAVAILABLE. */
function storeError(err: unknown): GatewayError {
  if (isGatewayError(err)) return err;
  return new GatewayError('STORE_UNAVAILABLE', `the store cannot commit now (${err instanceof Error ? err.message : 'unknown error'})`, { cause: err });
}
