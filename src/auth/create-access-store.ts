import { join } from 'node:path';
import type { Config } from '../config/config.schema';
import { migrated, SQLITE_FILE_NAME } from '../store/create-message-store';
import type { AccessStore } from './access-store.port';
import { PostgresAccessStore } from './postgres-access-store';
import { SqliteAccessStore } from './sqlite-access-store';

/**
 * Opens the access store in the same database as the message store (PostgreSQL when
 * DATABASE_URL is set, else the SQLite file in DATA_DIR), migrated. Throws STORE_UNAVAILABLE.
 */
export async function createAccessStore(config: Pick<Config, 'DATA_DIR' | 'DATABASE_URL'>): Promise<AccessStore> {
  const store = config.DATABASE_URL !== undefined ? new PostgresAccessStore({ connectionString: config.DATABASE_URL }) : new SqliteAccessStore(join(config.DATA_DIR, SQLITE_FILE_NAME));
  return migrated(store, config.DATABASE_URL);
}
