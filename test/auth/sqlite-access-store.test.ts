import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SqliteAccessStore } from '../../src/auth/sqlite-access-store';
import { secretHash } from '../../src/auth/token-secret';
import { SqliteMessageStore } from '../../src/store/sqlite/sqlite-message-store';
import { accessStoreContract, type AccessStoreFactory } from './access-store.contract';

const sqliteFactory: AccessStoreFactory = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-access-'));
  const file = join(dir, 'store.sqlite');
  const store = new SqliteAccessStore(file);
  await store.migrate();
  return {
    store,
    another: async () => {
      const other = new SqliteAccessStore(file);
      await other.migrate();
      return other;
    },
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

accessStoreContract('SQLite', sqliteFactory);

test('the access tables live in the message store\'s SQLite file, beside a running message store', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-access-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'store.sqlite');
  const messages = new SqliteMessageStore({ file });
  await messages.migrate();
  t.after(() => messages.close());
  const access = new SqliteAccessStore(file);
  await access.migrate();
  t.after(() => access.close());
  await access.insertTokenIfAbsent('ward-3', secretHash('ecggw_not-on-disk-token'), new Date());
  assert.equal(await messages.isWritable(), true, 'the message store still commits beside it');
  // Neither the database nor its WAL holds the token, only its hash.
  const bytes = readdirSync(dir).map((n) => readFileSync(join(dir, n)).toString('latin1')).join('');
  assert.ok(!bytes.includes('ecggw_not-on-disk-token'));
  assert.ok(bytes.includes(secretHash('ecggw_not-on-disk-token')));
});
