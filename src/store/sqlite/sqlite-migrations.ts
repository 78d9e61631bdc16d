import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The SQLite schema, as versioned steps. Append a step to change it; never edit an applied one
 * (a gateway in a hospital upgrades in place over its own DATA_DIR).
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'inbox: messages, raw bytes, timeline',
    sql: `
      CREATE TABLE messages (
        seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
        id                   TEXT    NOT NULL UNIQUE,
        protocol             TEXT    NOT NULL,
        peer_address         TEXT,
        peer_calling_ae      TEXT,
        peer_sending_app     TEXT,
        peer_sending_facility TEXT,
        source_id            TEXT,
        dedup_key            TEXT,
        content_type         TEXT    NOT NULL,
        sha256               TEXT    NOT NULL,
        size_bytes           INTEGER NOT NULL,
        state                TEXT    NOT NULL,
        attempts             INTEGER NOT NULL DEFAULT 0,
        last_error_code      TEXT,
        last_error_field     TEXT,
        last_error_message   TEXT,
        repeats              INTEGER NOT NULL DEFAULT 0,
        version_of           TEXT REFERENCES messages(id),
        received_at          TEXT    NOT NULL,
        updated_at           TEXT    NOT NULL,
        due_at               TEXT,
        claim_token          TEXT,
        claimed_by           TEXT,
        lease_until          TEXT,
        summary_json         TEXT,
        results_json         TEXT
      );
      CREATE INDEX messages_claim ON messages (state, seq);
      CREATE INDEX messages_dedup ON messages (dedup_key, sha256) WHERE dedup_key IS NOT NULL;
      CREATE INDEX messages_received_at ON messages (received_at);

      -- Raw bytes apart from the row so listing and claiming never page through blobs.
      CREATE TABLE message_raw (
        message_id TEXT PRIMARY KEY REFERENCES messages(id),
        bytes      BLOB NOT NULL
      );

      CREATE TABLE message_timeline (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id  TEXT NOT NULL REFERENCES messages(id),
        at          TEXT NOT NULL,
        state       TEXT NOT NULL,
        event       TEXT NOT NULL,
        detail_json TEXT
      );
      CREATE INDEX message_timeline_message ON message_timeline (message_id, seq);

      -- One row written by the /health probe: proves a write can be committed now.
      CREATE TABLE store_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'access: api tokens, sessions, audit trail',
    sql: `
      -- Only the sha256 of a token or session id is kept: a copy of the database grants no access.
      CREATE TABLE api_tokens (
        name       TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );

      CREATE TABLE sessions (
        session_hash TEXT PRIMARY KEY,
        principal    TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        expires_at   TEXT NOT NULL
      );
      CREATE INDEX sessions_principal ON sessions (principal);

      -- No foreign key to messages: the trail outlives whatever it refers to.
      CREATE TABLE audit_events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT NOT NULL,
        principal   TEXT NOT NULL,
        action      TEXT NOT NULL,
        message_id  TEXT,
        detail_json TEXT
      );
      CREATE INDEX audit_events_message ON audit_events (message_id, id) WHERE message_id IS NOT NULL;
    `,
  },
];

/** Applies every migration newer than the database's version, each in its own transaction. */
export function applySqliteMigrations(db: Database, now: () => string): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const current = (db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  const applied: number[] = [];
  for (const m of SQLITE_MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now());
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
