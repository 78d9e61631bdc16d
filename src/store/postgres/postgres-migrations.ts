import type { PoolClient } from 'pg';

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The PostgreSQL schema, as versioned steps. Append a step to change it; never edit an applied
 * one (replicas of a running gateway group upgrade in place over one shared database).
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'inbox: messages, raw bytes, timeline',
    sql: `
      CREATE TABLE messages (
        seq                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id                    TEXT        NOT NULL UNIQUE,
        protocol              TEXT        NOT NULL,
        peer_address          TEXT,
        peer_calling_ae       TEXT,
        peer_sending_app      TEXT,
        peer_sending_facility TEXT,
        source_id             TEXT,
        dedup_key             TEXT,
        content_type          TEXT        NOT NULL,
        sha256                TEXT        NOT NULL,
        size_bytes            INTEGER     NOT NULL,
        state                 TEXT        NOT NULL,
        attempts              INTEGER     NOT NULL DEFAULT 0,
        last_error_code       TEXT,
        last_error_field      TEXT,
        last_error_message    TEXT,
        repeats               INTEGER     NOT NULL DEFAULT 0,
        version_of            TEXT REFERENCES messages(id),
        received_at           TIMESTAMPTZ NOT NULL,
        updated_at            TIMESTAMPTZ NOT NULL,
        due_at                TIMESTAMPTZ,
        claim_token           TEXT,
        claimed_by            TEXT,
        lease_until           TIMESTAMPTZ,
        summary               JSONB,
        results               JSONB
      );
      CREATE INDEX messages_claim ON messages (state, seq);
      -- Same key + same bytes is one row (repeats count the resends): the backstop of the
      -- per-key advisory lock that receive() takes.
      CREATE UNIQUE INDEX messages_dedup ON messages (dedup_key, sha256) WHERE dedup_key IS NOT NULL;
      CREATE INDEX messages_dedup_latest ON messages (dedup_key, seq) WHERE dedup_key IS NOT NULL;
      CREATE INDEX messages_received_at ON messages (received_at);

      -- Raw bytes apart from the row so listing and claiming never page through blobs.
      CREATE TABLE message_raw (
        message_id TEXT  PRIMARY KEY REFERENCES messages(id),
        bytes      BYTEA NOT NULL
      );

      CREATE TABLE message_timeline (
        seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        message_id TEXT        NOT NULL REFERENCES messages(id),
        at         TIMESTAMPTZ NOT NULL,
        state      TEXT        NOT NULL,
        event      TEXT        NOT NULL,
        detail     JSONB
      );
      CREATE INDEX message_timeline_message ON message_timeline (message_id, seq);

      -- One row written by the /health probe: proves a write can be committed now.
      CREATE TABLE store_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TIMESTAMPTZ NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'access: api tokens, sessions, audit trail',
    sql: `
      -- Only the sha256 of a token or session id is kept: a copy of the database grants no access.
      CREATE TABLE api_tokens (
        name       TEXT PRIMARY KEY,
        token_hash TEXT        NOT NULL UNIQUE,
        created_at TIMESTAMPTZ NOT NULL,
        revoked_at TIMESTAMPTZ
      );

      CREATE TABLE sessions (
        session_hash TEXT PRIMARY KEY,
        principal    TEXT        NOT NULL,
        created_at   TIMESTAMPTZ NOT NULL,
        expires_at   TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX sessions_principal ON sessions (principal);

      -- No foreign key to messages: the trail outlives whatever it refers to.
      CREATE TABLE audit_events (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at         TIMESTAMPTZ NOT NULL,
        principal  TEXT        NOT NULL,
        action     TEXT        NOT NULL,
        message_id TEXT,
        detail     JSONB
      );
      CREATE INDEX audit_events_message ON audit_events (message_id, id) WHERE message_id IS NOT NULL;
    `,
  },
];

/** Arbitrary constant: the advisory lock that serialises migrations of replicas starting together. */
const MIGRATION_LOCK = 0x45434777; // 'ECGw'

/** One versioned series of migrations: its steps, the table that records them, its advisory lock. */
export interface MigrationSeries {
  steps: readonly PostgresMigration[];
  /** Table of applied versions (a constant identifier, never user input). */
  table: string;
  lockKey: number;
}

/**
 * Applies every step of `series` newer than the database's version in one transaction, under an
 * advisory lock so that replicas starting at once migrate once. Returns the versions applied.
 */
export async function applyMigrationSeries(client: PoolClient, series: MigrationSeries, now: Date, schema?: string): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [series.lockKey]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${series.table} (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`);
    const current = (await client.query<{ v: number }>(`SELECT COALESCE(MAX(version), 0)::int AS v FROM ${series.table}`)).rows[0]?.v ?? 0;
    const applied: number[] = [];
    for (const m of series.steps) {
      if (m.version <= current) continue;
      await client.query(m.sql);
      await client.query(`INSERT INTO ${series.table} (version, name, applied_at) VALUES ($1, $2, $3)`, [m.version, m.name, now]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (err: unknown) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** The message store's (and access store's) series, creating `schema` first when one is named. */
export function applyPostgresMigrations(client: PoolClient, schema: string | undefined, now: Date): Promise<number[]> {
  return applyMigrationSeries(client, { steps: POSTGRES_MIGRATIONS, table: 'schema_migrations', lockKey: MIGRATION_LOCK }, now, schema);
}
