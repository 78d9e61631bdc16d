import type { ApiTokenInfo, AuditFilter, AuditPage, NewAuditEvent, SessionRecord } from './access-records';

/**
 * Who may use the console and /api, and what they did: API tokens, console sessions and the
 * audit trail, in the same database as the messages (SQLite in DATA_DIR or PostgreSQL).
 * Adapters: sqlite-access-store.ts and postgres-access-store.ts; both pass
 * `test/auth/access-store.contract.ts`. Secrets arrive here already hashed (sha256 hex).
 * Driver failures reject with STORE_UNAVAILABLE.
 */
export abstract class AccessStore {
  /** Applies the store's versioned migrations (shared with the message store). */
  abstract migrate(): Promise<void>;
  /** Stores a token unless one with this name exists (revoked or not); true when stored. Race-safe. */
  abstract insertTokenIfAbsent(name: string, tokenHash: string, at: Date): Promise<boolean>;
  /** Stores or replaces the token of `name` and clears its revocation (ADMIN_TOKEN at start); a changed token ends its sessions. */
  abstract upsertToken(name: string, tokenHash: string, at: Date): Promise<void>;
  /** The principal (token name) of an unrevoked token with this hash. */
  abstract principalForToken(tokenHash: string): Promise<string | undefined>;
  abstract listTokens(): Promise<ApiTokenInfo[]>;
  /** Revokes an active token and ends its principal's sessions; false when no active token has this name. */
  abstract revokeToken(name: string, at: Date): Promise<boolean>;
  /** Stores a session and drops the expired ones. */
  abstract createSession(session: SessionRecord): Promise<void>;
  /** The session with this hash if it has not expired at `now`. */
  abstract findSession(sessionHash: string, now: Date): Promise<SessionRecord | undefined>;
  abstract deleteSession(sessionHash: string): Promise<void>;
  /** Commits one audit event; resolves only once it is durable. */
  abstract appendAudit(event: NewAuditEvent): Promise<void>;
  /** Newest first; throws API_BAD_REQUEST for a cursor it did not issue. */
  abstract listAudit(filter: AuditFilter): Promise<AuditPage>;
  abstract close(): Promise<void>;
}
