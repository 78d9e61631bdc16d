import type { PoolClient } from 'pg';
import { applyMigrationSeries, type PostgresMigration } from '../../store/postgres/postgres-migrations';

/**
 * The embedded /fhir table in the gateway's PostgreSQL schema, versioned apart from the message
 * store's steps (src/store/postgres/postgres-migrations.ts) so the two evolve without colliding.
 * Append a step to change it; never edit an applied one.
 */
export const FHIR_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'embedded FHIR resources with a change sequence',
    sql: `
      CREATE SEQUENCE fhir_resource_seq;
      -- One row per resource: its current version, or NULL after a deletion (a tombstone, so
      -- replicas that loaded the resource learn that it is gone). Every write takes the next
      -- seq; writes are serialised by an advisory lock, so seq order is commit order and a
      -- replica catches up with "seq > the last one I saw". JSON, not JSONB: kept as written,
      -- with no conversion on each write, as nothing in the gateway queries inside it.
      CREATE TABLE fhir_resources (
        resource_type TEXT        NOT NULL,
        id            TEXT        NOT NULL,
        seq           BIGINT      NOT NULL DEFAULT nextval('fhir_resource_seq'),
        version_id    TEXT,
        last_updated  TIMESTAMPTZ,
        resource      JSON,
        PRIMARY KEY (resource_type, id)
      );
      CREATE UNIQUE INDEX fhir_resources_seq ON fhir_resources (seq);
    `,
  },
];

/** Arbitrary constant ('FHIR'): serialises migrations of replicas starting together. */
const FHIR_MIGRATION_LOCK = 0x46484952;

/** Applies every step newer than the schema's FHIR version, in one transaction. Returns the versions applied. */
export function applyFhirMigrations(client: PoolClient, now: Date): Promise<number[]> {
  return applyMigrationSeries(client, { steps: FHIR_MIGRATIONS, table: 'fhir_schema_migrations', lockKey: FHIR_MIGRATION_LOCK }, now);
}
