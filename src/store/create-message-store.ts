import { join } from 'node:path';
import type { Config } from '../config/config.schema';
import { GatewayError } from '../errors/gateway-error';
import type { MessageStore } from './message-store.port';
import { SqliteMessageStore } from './sqlite/sqlite-message-store';

/** The SQLite file inside DATA_DIR (next to the raw archive of later issues). */
export const SQLITE_FILE_NAME = 'ecg-gateway.sqlite';

/**
 * Picks and opens the store adapter from the config, migrated and ready.
 * Throws CONFIG_INVALID when DATABASE_URL asks for PostgreSQL (not in this version).
 */
export async function createMessageStore(config: Pick<Config, 'DATA_DIR' | 'DATABASE_URL'>): Promise<MessageStore> {
  if (config.DATABASE_URL !== undefined) {
    throw new GatewayError(
      'CONFIG_INVALID',
      'PostgreSQL store not available in this version: unset DATABASE_URL to use the embedded SQLite store in DATA_DIR',
      { field: 'DATABASE_URL' },
    );
  }
  const store = new SqliteMessageStore({ file: join(config.DATA_DIR, SQLITE_FILE_NAME) });
  await store.migrate();
  return store;
}
