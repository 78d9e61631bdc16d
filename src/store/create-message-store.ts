import { join } from 'node:path';
import type { Config } from '../config/config.schema';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import type { MessageStore } from './message-store.port';
import { PostgresMessageStore } from './postgres/postgres-message-store';
import { SqliteMessageStore } from './sqlite/sqlite-message-store';

/** The SQLite file inside DATA_DIR (next to the raw archive of later issues). */
export const SQLITE_FILE_NAME = 'ecg-gateway.sqlite';

/**
 * Picks and opens the store adapter from the config, migrated and ready: PostgreSQL when
 * DATABASE_URL is set (shared by replicas), else the embedded SQLite file in DATA_DIR.
 * Throws STORE_UNAVAILABLE when the database cannot be reached or migrated.
 */
export async function createMessageStore(config: Pick<Config, 'DATA_DIR' | 'DATABASE_URL'>): Promise<MessageStore> {
  const store =
    config.DATABASE_URL !== undefined
      ? new PostgresMessageStore({ connectionString: config.DATABASE_URL })
      : new SqliteMessageStore({ file: join(config.DATA_DIR, SQLITE_FILE_NAME) });
  return migrated(store, config.DATABASE_URL);
}

/**
 * Migrates a freshly opened store, closing it when that fails; a database error then names the
 * setting to fix, so the one startup line reads `error STORE_UNAVAILABLE DATABASE_URL: …`.
 */
export async function migrated<T extends { migrate(): Promise<void>; close(): Promise<void> }>(store: T, databaseUrl: string | undefined): Promise<T> {
  try {
    await store.migrate();
  } catch (err: unknown) {
    await store.close().catch(() => undefined);
    if (databaseUrl !== undefined && isGatewayError(err) && err.field === undefined) {
      throw new GatewayError(err.code, err.message, { field: 'DATABASE_URL', cause: err });
    }
    throw err;
  }
  return store;
}
