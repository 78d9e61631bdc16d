import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { Client } from 'pg';
import { isGatewayError } from '../../src/errors/gateway-error';
import type { IncomingMessage } from '../../src/store/message';
import { createMessageStore } from '../../src/store/create-message-store';
import { PostgresMessageStore } from '../../src/store/postgres/postgres-message-store';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/postgres-migrations';
import { messageStoreContract, type StoreFactory } from './message-store.contract';
import { createSchema, dropSchema, PG_TEST_URL, uniqueSchemaName, urlWithSchema } from './postgres-test-schema';

/** Each contract test gets its own schema, created by the adapter's migration and dropped after. */
const postgresFactory: StoreFactory = async () => {
  const schema = uniqueSchemaName();
  const store = new PostgresMessageStore({ connectionString: PG_TEST_URL, schema });
  await store.migrate();
  return {
    store,
    reopen: async () => {
      const other = new PostgresMessageStore({ connectionString: PG_TEST_URL, schema });
      await other.migrate();
      return other;
    },
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
};

messageStoreContract('PostgreSQL', postgresFactory);

function hl7(controlId: string, body: string): IncomingMessage {
  return {
    protocol: 'mllp',
    peer: { address: '127.0.0.1' },
    sourceId: controlId,
    dedupKey: `hl7:CART|CARDIO:${controlId}`,
    contentType: 'application/hl7-v2',
    raw: new TextEncoder().encode(`MSH|^~\\&|CART|CARDIO|ECGGW|HOSP|20240305101500||ORU^R01|${controlId}|P|2.5\r${body}\r`),
    receivedAt: new Date('2024-03-05T10:15:00.000Z'),
  };
}

test('DATABASE_URL selects the PostgreSQL adapter, migrated once, in the schema its search_path names', async (t) => {
  const schema = uniqueSchemaName();
  await createSchema(schema);
  t.after(() => dropSchema(schema));
  const url = urlWithSchema(schema);
  const [a, b] = await Promise.all([
    createMessageStore({ DATA_DIR: tmpdir(), DATABASE_URL: url }),
    createMessageStore({ DATA_DIR: tmpdir(), DATABASE_URL: url }),
  ]);
  t.after(() => Promise.all([a.close(), b.close()]));
  assert.ok(a instanceof PostgresMessageStore);
  assert.equal(await a.isWritable(), true);
  const client = new Client({ connectionString: url });
  await client.connect();
  t.after(() => client.end());
  const versions = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  assert.deepEqual(versions.rows.map((r) => r.version), POSTGRES_MIGRATIONS.map((m) => m.version), 'two replicas starting at once migrate once');
  // Commits are durable: the server flushes the WAL before COMMIT returns.
  assert.equal((await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]?.synchronous_commit, 'on');
});

test('replicas receiving the same resend at once record one new row and repeats, and versions chain', async (t) => {
  const schema = uniqueSchemaName();
  const replicas = [0, 1, 2].map(() => new PostgresMessageStore({ connectionString: PG_TEST_URL, schema }));
  t.after(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await dropSchema(schema);
  });
  for (const r of replicas) await r.migrate();
  const outs = await Promise.all(Array.from({ length: 24 }, (_, i) => replicas[i % 3]!.receive(hl7('SAME', 'OBX|1|NM|8867-4^HR^LN||72'))));
  assert.equal(outs.filter((o) => o.disposition === 'new').length, 1);
  assert.equal(outs.filter((o) => o.disposition === 'repeat').length, 23);
  assert.equal(new Set(outs.map((o) => o.id)).size, 1);
  const versions = await Promise.all(Array.from({ length: 6 }, (_, i) => replicas[i % 3]!.receive(hl7('SAME', `OBX|1|NM|8867-4^HR^LN||${80 + i}`))));
  assert.ok(versions.every((v) => v.disposition === 'new-version'));
  // Serialised per key: each new version points at a distinct earlier row, forming one chain.
  assert.equal(new Set(versions.map((v) => v.previousId)).size, 6);
  assert.equal((await replicas[0]!.get(outs[0]!.id))?.repeats, 23);
});

test('an unreachable database is STORE_UNAVAILABLE at startup, not a hang', async () => {
  await assert.rejects(createMessageStore({ DATA_DIR: tmpdir(), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' }), (err: unknown) => {
    assert.ok(isGatewayError(err));
    assert.equal(err.code, 'STORE_UNAVAILABLE');
    assert.equal(err.field, 'DATABASE_URL');
    return true;
  });
});

test('a schema name that is not a plain SQL identifier is refused', () => {
  assert.throws(() => new PostgresMessageStore({ connectionString: PG_TEST_URL, schema: 'x; DROP TABLE y' }), (err: unknown) => {
    assert.ok(isGatewayError(err));
    assert.equal(err.code, 'CONFIG_INVALID');
    return true;
  });
});
