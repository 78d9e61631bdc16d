import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { createMessageStore } from '../../src/store/create-message-store';
import { SqliteMessageStore } from '../../src/store/sqlite/sqlite-message-store';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations';
import { messageStoreContract, type StoreFactory } from './message-store.contract';

function sqliteFactory(groupCommit: boolean): StoreFactory {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecggw-store-'));
    const file = join(dir, 'store.sqlite');
    const store = new SqliteMessageStore({ file, groupCommit });
    await store.migrate();
    return {
      store,
      reopen: async () => {
        const other = new SqliteMessageStore({ file, groupCommit });
        await other.migrate();
        return other;
      },
      cleanup: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

messageStoreContract('SQLite, group commit', sqliteFactory(true));
messageStoreContract('SQLite, one transaction per message', sqliteFactory(false));

test('the SQLite file runs in WAL mode with synchronous=FULL and records applied migrations', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = await createMessageStore({ DATA_DIR: join(dir, 'nested', 'data'), DATABASE_URL: undefined });
  t.after(() => store.close());
  const db = new Database(join(dir, 'nested', 'data', 'ecg-gateway.sqlite'), { readonly: true });
  t.after(() => db.close());
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
  assert.deepEqual(versions.map((v) => v.version), SQLITE_MIGRATIONS.map((m) => m.version));
  // synchronous is per connection: ask the store's own (writer) connection.
  assert.deepEqual(await (store as SqliteMessageStore).connectionSettings(), { journalMode: 'wal', synchronous: 2 }, 'WAL, synchronous=FULL (2)');
});
