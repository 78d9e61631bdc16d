import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import { decodePageCursor, encodePageCursor } from '../store/page-cursor';
import { applySqliteMigrations } from '../store/sqlite/sqlite-migrations';
import type { ApiTokenInfo, AuditEvent, AuditFilter, AuditPage, NewAuditEvent, SessionRecord } from './access-records';
import { AccessStore } from './access-store.port';

interface TokenRow {
  name: string;
  created_at: string;
  revoked_at: string | null;
}
interface SessionRow {
  session_hash: string;
  principal: string;
  created_at: string;
  expires_at: string;
}
interface AuditRow {
  id: number;
  at: string;
  principal: string;
  action: string;
  message_id: string | null;
  detail_json: string | null;
}

function toAuditEvent(r: AuditRow): AuditEvent {
  const e: AuditEvent = { at: r.at, principal: r.principal, action: r.action };
  if (r.message_id !== null) e.messageId = r.message_id;
  if (r.detail_json !== null) e.detail = JSON.parse(r.detail_json) as Record<string, unknown>;
  return e;
}

/**
 * The access tables in the gateway's SQLite file, through a connection of their own on the
 * event loop (WAL lets it sit beside the message store's writer thread; busy_timeout waits out
 * that writer's commits). Its writes are rare (a login, an audit line per opened message), so
 * the synchronous fsync here costs far less than routing them through the ingest writer would
 * complicate it.
 */
export class SqliteAccessStore extends AccessStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    super();
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: an audit line whose promise resolved survives power loss, like an ACKed message.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
  }

  migrate(): Promise<void> {
    return this.run(() => void applySqliteMigrations(this.db, () => new Date().toISOString()));
  }

  insertTokenIfAbsent(name: string, tokenHash: string, at: Date): Promise<boolean> {
    return this.run(
      () => this.db.prepare('INSERT INTO api_tokens (name, token_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(name, tokenHash, at.toISOString()).changes === 1,
    );
  }

  upsertToken(name: string, tokenHash: string, at: Date): Promise<void> {
    return this.run(() =>
      this.db.transaction(() => {
        // A new token (rotated secret) ends the sessions opened with the old one.
        this.db.prepare('DELETE FROM sessions WHERE principal = ? AND EXISTS (SELECT 1 FROM api_tokens WHERE name = ? AND token_hash <> ?)').run(name, name, tokenHash);
        this.db
          .prepare('INSERT INTO api_tokens (name, token_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, revoked_at = NULL')
          .run(name, tokenHash, at.toISOString());
      }).immediate(),
    );
  }

  principalForToken(tokenHash: string): Promise<string | undefined> {
    return this.run(() => (this.db.prepare('SELECT name FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL').get(tokenHash) as { name: string } | undefined)?.name);
  }

  listTokens(): Promise<ApiTokenInfo[]> {
    return this.run(() =>
      (this.db.prepare('SELECT name, created_at, revoked_at FROM api_tokens ORDER BY created_at, name').all() as TokenRow[]).map((r) => {
        const info: ApiTokenInfo = { name: r.name, createdAt: new Date(r.created_at) };
        if (r.revoked_at !== null) info.revokedAt = new Date(r.revoked_at);
        return info;
      }),
    );
  }

  revokeToken(name: string, at: Date): Promise<boolean> {
    return this.run(() =>
      this.db.transaction(() => {
        const revoked = this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL').run(at.toISOString(), name).changes === 1;
        if (revoked) this.db.prepare('DELETE FROM sessions WHERE principal = ?').run(name);
        return revoked;
      }).immediate(),
    );
  }

  createSession(s: SessionRecord): Promise<void> {
    return this.run(() =>
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(s.createdAt.toISOString());
        this.db.prepare('INSERT INTO sessions (session_hash, principal, created_at, expires_at) VALUES (?, ?, ?, ?)').run(s.sessionHash, s.principal, s.createdAt.toISOString(), s.expiresAt.toISOString());
      }).immediate(),
    );
  }

  findSession(sessionHash: string, now: Date): Promise<SessionRecord | undefined> {
    return this.run(() => {
      const r = this.db.prepare('SELECT s.* FROM sessions s WHERE s.session_hash = ? AND s.expires_at > ? AND NOT EXISTS (SELECT 1 FROM api_tokens t WHERE t.name = s.principal AND t.revoked_at IS NOT NULL)').get(sessionHash, now.toISOString()) as SessionRow | undefined;
      return r && { sessionHash: r.session_hash, principal: r.principal, createdAt: new Date(r.created_at), expiresAt: new Date(r.expires_at) };
    });
  }

  deleteSession(sessionHash: string): Promise<void> {
    return this.run(() => void this.db.prepare('DELETE FROM sessions WHERE session_hash = ?').run(sessionHash));
  }

  appendAudit(e: NewAuditEvent): Promise<void> {
    return this.run(() => {
      this.db
        .prepare('INSERT INTO audit_events (at, principal, action, message_id, detail_json) VALUES (?, ?, ?, ?, ?)')
        .run(e.at.toISOString(), e.principal, e.action, e.messageId ?? null, e.detail === undefined ? null : JSON.stringify(e.detail));
    });
  }

  listAudit(filter: AuditFilter): Promise<AuditPage> {
    return this.run(() => {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (filter.messageId !== undefined) (where.push('message_id = ?'), args.push(filter.messageId));
      if (filter.cursor !== undefined) (where.push('id < ?'), args.push(decodePageCursor(filter.cursor)));
      const rows = this.db.prepare(`SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`).all(...args, filter.limit + 1) as AuditRow[];
      const page = rows.slice(0, filter.limit);
      const result: AuditPage = { items: page.map(toAuditEvent) };
      const last = page[page.length - 1];
      if (rows.length > filter.limit && last) result.nextCursor = encodePageCursor(last.id);
      return result;
    });
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  /** Runs a synchronous statement; driver errors become STORE_UNAVAILABLE, GatewayErrors pass through. */
  private run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (err: unknown) {
      if (isGatewayError(err)) return Promise.reject(err);
      return Promise.reject(new GatewayError('STORE_UNAVAILABLE', `the store cannot commit now (${err instanceof Error ? err.message : 'unknown error'})`, { cause: err }));
    }
  }
}
