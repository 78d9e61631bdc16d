import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import type { ResourceChange } from '../server/journaled-repository';

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
 * Persistence of the embedded /fhir endpoint: the current version of every resource in a SQLite
 * file in DATA_DIR (`fhir.sqlite`, WAL, synchronous=FULL), written in one transaction per
 * committed FHIR request before it is answered, and loaded back at start.
 */
export class SqliteFhirStore {
  private readonly db: Database.Database;
  private readonly upsert: Database.Statement;
  private readonly remove: Database.Statement;

  constructor(file: string) {
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
  }

  loadAll(): Resource[] {
    return (this.db.prepare('SELECT json FROM fhir_resources ORDER BY rowid').all() as Array<{ json: string }>).map((r) => JSON.parse(r.json) as Resource);
  }

  apply(changes: readonly ResourceChange[]): void {
    this.db.transaction(() => {
      for (const c of changes) {
        if (c.resource) this.upsert.run(c.resourceType, c.id, c.resource.meta?.versionId ?? null, c.resource.meta?.lastUpdated ?? null, JSON.stringify(c.resource));
        else this.remove.run(c.resourceType, c.id);
      }
    })();
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM fhir_resources').get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
