import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import type { JournaledRepository, ResourceChange } from '../server/journaled-repository';
import { applyPersisted } from './apply-persisted';
import { EmbeddedFhirStore } from './embedded-fhir-store.port';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE fhir_resources (
     resource_type TEXT NOT NULL,
     id TEXT NOT NULL,
     version_id TEXT,
     last_updated TEXT,
     json TEXT NOT NULL,
     PRIMARY KEY (resource_type, id)
   )`,
];

/**
 * Persistence of the embedded /fhir endpoint of one gateway (no DATABASE_URL): the current
 * version of every resource in a SQLite file in DATA_DIR (`fhir.sqlite`, WAL, synchronous=FULL),
 * written in one transaction per committed FHIR request before it is answered, and loaded back
 * at start. Only this process writes the file, so memory never needs to catch up.
 */
export class SqliteFhirStore extends EmbeddedFhirStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;
  private readonly readOne: Database.Statement;

  constructor(file: string, repository: JournaledRepository) {
    super(repository);
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
    this.upsert = this.db.prepare(
      `INSERT INTO fhir_resources (resource_type, id, version_id, last_updated, json) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (resource_type, id) DO UPDATE SET version_id = excluded.version_id, last_updated = excluded.last_updated, json = excluded.json`,
    );
    this.remove = this.db.prepare('DELETE FROM fhir_resources WHERE resource_type = ? AND id = ?');
    this.readOne = this.db.prepare('SELECT json FROM fhir_resources WHERE resource_type = ? AND id = ?');
  }

  async open(): Promise<void> {
    const rows = this.db.prepare('SELECT json FROM fhir_resources ORDER BY rowid').all() as Array<{ json: string }>;
    await this.repository.load(rows.map((r) => JSON.parse(r.json) as Resource));
  }

  async run(_kind: 'read' | 'write', execute: () => Promise<ResourceChange[]>): Promise<void> {
    const changes = await execute();
    if (changes.length === 0) return;
    try {
      this.apply(changes);
    } catch (err: unknown) {
      // The file transaction rolled back: memory goes back to what the file holds.
      await applyPersisted(this.repository, changes.map((c) => ({ ...c, resource: this.persisted(c) })));
      throw err;
    }
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM fhir_resources').get() as { n: number }).n;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private apply(changes: readonly ResourceChange[]): void {
    this.db.transaction(() => {
      for (const c of changes) {
        if (c.resource) this.upsert.run(c.resourceType, c.id, c.resource.meta?.versionId ?? null, c.resource.meta?.lastUpdated ?? null, JSON.stringify(c.resource));
        else this.remove.run(c.resourceType, c.id);
      }
    })();
  }

  private persisted(c: ResourceChange): Resource | undefined {
    const row = this.readOne.get(c.resourceType, c.id) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Resource) : undefined;
  }
}
