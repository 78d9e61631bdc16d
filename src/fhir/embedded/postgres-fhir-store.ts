import type { Resource } from '@medplum/fhirtypes';
import { Pool, type PoolClient } from 'pg';
import { GatewayError, isGatewayError } from '../../errors/gateway-error';
import type { JournaledRepository, ResourceChange } from '../server/journaled-repository';
import { applyPersisted, changeKey } from './apply-persisted';
import { EmbeddedFhirStore } from './embedded-fhir-store.port';
import { poolSettings } from '../../store/postgres/postgres-pool-settings';
import { applyFhirMigrations } from './postgres-fhir-migrations';

export interface PostgresFhirStoreOptions {
  /** `DATABASE_URL`: the table lives in the same database and schema (search_path) as the message store. */
  connectionString: string;
  /**
   * How long a write waits for another replica's write (the advisory lock) before it fails with
   * 500. The gateway passes FHIR_TIMEOUT_MS: its delivery client gives up after that anyway.
   */
  lockTimeoutMs: number;
  /** Connections in the pool (default 4: requests run one at a time per process). */
  poolSize?: number;
}

interface FhirRow {
  seq: string;
  resource_type: string;
  id: string;
  resource: Resource | null;
}

/** Rows applied per catch-up query. */
const CATCH_UP_PAGE = 1_000;
/** Two-key advisory lock class ('FHIR'); the second key is the table's oid, so each schema has its own lock. */
const WRITE_LOCK_CLASS = 0x46484952;

/**
 * The embedded /fhir of several replicas on one PostgreSQL (DATABASE_URL): each replica serves
 * from memory and keeps it equal to the shared `fhir_resources` table.
 * - Before each request it catches up: the rows with a seq above the last one it applied
 *   (deletions are NULL tombstones). Reads do so without a lock.
 * - A write runs in one PG transaction that first takes a transaction-scoped advisory lock, then
 *   catches up, runs the request in memory and writes what it changed with new seqs; COMMIT
 *   comes before the HTTP answer. The lock serialises conditional creates and transactions
 *   across replicas (race-free), and makes seq order the commit order that catch-up relies on.
 * - When the transaction fails, the resources the request touched are re-read from the table
 *   (now or, if the database is unreachable, before the next request) so memory keeps nothing
 *   the database did not commit.
 */
export class PostgresFhirStore extends EmbeddedFhirStore {
  private readonly pool: Pool;
  /** Every row up to this seq is applied to memory. */
  private seen = 0n;
  /** Resources whose memory may differ from the table (a write that did not commit), re-read before the next request. */
  private readonly unsure = new Map<string, Pick<ResourceChange, 'resourceType' | 'id'>>();

  constructor(
    private readonly options: PostgresFhirStoreOptions,
    repository: JournaledRepository,
  ) {
    super(repository);
    this.pool = new Pool(poolSettings(options.connectionString, { max: options.poolSize ?? 4 }));
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async open(): Promise<void> {
    const client = await this.connect();
    try {
      await applyFhirMigrations(client, new Date());
      await this.catchUp(client);
    } catch (err: unknown) {
      throw storeError(err);
    } finally {
      client.release();
    }
  }

  async run(kind: 'read' | 'write', execute: () => Promise<ResourceChange[]>): Promise<void> {
    if (kind === 'write') return this.write(execute);
    try {
      await this.catchUp(this.pool);
    } catch (err: unknown) {
      throw storeError(err);
    }
    await execute();
  }

  async count(): Promise<number> {
    const rows = await this.pool.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM fhir_resources WHERE resource IS NOT NULL');
    return rows.rows[0]?.n ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async write(execute: () => Promise<ResourceChange[]>): Promise<void> {
    // Catch up before taking the lock, so the catch-up under it (which every other replica's
    // writes wait for) is usually empty. A failure here is retried under the lock.
    await this.catchUp(this.pool).catch(() => undefined);
    const client = await this.connect();
    let changes: ResourceChange[] = [];
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('lock_timeout', $1, true)`, [`${this.options.lockTimeoutMs}ms`]);
      await client.query(`SELECT pg_advisory_xact_lock($1, 'fhir_resources'::regclass::oid::int)`, [WRITE_LOCK_CLASS]);
      await this.catchUp(client);
      changes = await execute();
      const last = await insertChanges(client, changes);
      await client.query('COMMIT');
      if (last !== undefined) this.seen = last;
    } catch (err: unknown) {
      // A broken connection must not go back to the pool; a healthy one is cheap to replace.
      client.release(true);
      for (const c of changes) this.unsure.set(changeKey(c), c);
      await this.settleUnsure(this.pool).catch(() => {
        // Still unsure (database unreachable): the next request re-reads them before it runs.
      });
      throw storeError(err);
    }
    client.release();
  }

  private async catchUp(db: Pool | PoolClient): Promise<void> {
    await this.settleUnsure(db);
    // In pages, so a replica that was idle long does not pull one unbounded result set.
    for (;;) {
      const { rows } = await db.query<FhirRow>('SELECT seq::text AS seq, resource_type, id, resource FROM fhir_resources WHERE seq > $1 ORDER BY seq LIMIT $2', [this.seen.toString(), CATCH_UP_PAGE]);
      if (rows.length === 0) return;
      await applyPersisted(this.repository, rows.map(toChange));
      this.seen = BigInt(rows[rows.length - 1]!.seq);
      if (rows.length < CATCH_UP_PAGE) return;
    }
  }

  /** Puts the table's committed state of every unsure resource back into memory. */
  private async settleUnsure(db: Pool | PoolClient): Promise<void> {
    if (this.unsure.size === 0) return;
    const keys = [...this.unsure.values()];
    const { rows } = await db.query<FhirRow>(
      `SELECT f.seq::text AS seq, f.resource_type, f.id, f.resource FROM fhir_resources f
       JOIN unnest($1::text[], $2::text[]) AS k(resource_type, id) ON f.resource_type = k.resource_type AND f.id = k.id`,
      [keys.map((k) => k.resourceType), keys.map((k) => k.id)],
    );
    const committed = new Map(rows.map((r) => [changeKey({ resourceType: r.resource_type, id: r.id }), r.resource ?? undefined]));
    await applyPersisted(
      this.repository,
      keys.map((k) => ({ ...k, resource: committed.get(changeKey(k)) })),
    );
    this.unsure.clear();
  }

  private async connect(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err: unknown) {
      throw storeError(err);
    }
  }
}

/** Writes one request's changes with new seqs; returns the highest, or undefined when nothing changed. */
async function insertChanges(client: PoolClient, changes: readonly ResourceChange[]): Promise<bigint | undefined> {
  if (changes.length === 0) return undefined;
  const { rows } = await client.query<{ seq: string }>(
    `INSERT INTO fhir_resources (resource_type, id, version_id, last_updated, resource)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::json[])
     ON CONFLICT (resource_type, id) DO UPDATE
       SET seq = excluded.seq, version_id = excluded.version_id, last_updated = excluded.last_updated, resource = excluded.resource
     RETURNING seq::text AS seq`,
    [
      changes.map((c) => c.resourceType),
      changes.map((c) => c.id),
      changes.map((c) => c.resource?.meta?.versionId ?? null),
      changes.map((c) => c.resource?.meta?.lastUpdated ?? null),
      changes.map((c) => (c.resource ? JSON.stringify(c.resource) : null)),
    ],
  );
  return rows.reduce((max, r) => (BigInt(r.seq) > max ? BigInt(r.seq) : max), 0n);
}

function toChange(row: FhirRow): ResourceChange {
  return { resourceType: row.resource_type, id: row.id, resource: row.resource ?? undefined };
}

function storeError(err: unknown): GatewayError {
  if (isGatewayError(err)) return err;
  const why = err instanceof Error ? err.message : 'unknown error';
  return new GatewayError('STORE_UNAVAILABLE', `the store cannot commit now (embedded /fhir: ${why})`, { cause: err });
}
