import { join } from 'node:path';
import type { Config } from '../../config/config.schema';
import { GatewayError, isGatewayError } from '../../errors/gateway-error';
import { JournaledRepository } from '../server/journaled-repository';
import type { EmbeddedFhirStore } from './embedded-fhir-store.port';
import { PostgresFhirStore } from './postgres-fhir-store';
import { SqliteFhirStore } from './sqlite-fhir-store';

/** The SQLite file of the embedded /fhir inside DATA_DIR (when DATABASE_URL is unset). */
export const FHIR_SQLITE_FILE_NAME = 'fhir.sqlite';

/**
 * Picks the embedded /fhir store like the message store is picked: the PostgreSQL table shared
 * by every replica when DATABASE_URL is set, else DATA_DIR/fhir.sqlite. Returns it migrated,
 * with every persisted resource loaded into its repository.
 */
export async function openEmbeddedFhirStore(config: Pick<Config, 'DATA_DIR' | 'DATABASE_URL' | 'FHIR_TIMEOUT_MS'>): Promise<EmbeddedFhirStore> {
  const repository = new JournaledRepository();
  const store =
    config.DATABASE_URL !== undefined
      ? new PostgresFhirStore({ connectionString: config.DATABASE_URL, lockTimeoutMs: config.FHIR_TIMEOUT_MS }, repository)
      : new SqliteFhirStore(join(config.DATA_DIR, FHIR_SQLITE_FILE_NAME), repository);
  try {
    await store.open();
  } catch (err: unknown) {
    await store.close().catch(() => {
      // The open failure is the one to report.
    });
    // Name the setting to fix, as the message store does: `error STORE_UNAVAILABLE DATABASE_URL: …`.
    if (config.DATABASE_URL !== undefined && isGatewayError(err) && err.field === undefined) {
      throw new GatewayError(err.code, err.message, { field: 'DATABASE_URL', cause: err });
    }
    throw err;
  }
  return store;
}
