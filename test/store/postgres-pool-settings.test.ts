import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from 'pg';
import { poolSettings } from '../../src/store/postgres/postgres-pool-settings';
import { PG_TEST_URL } from './postgres-test-schema';

test('the pools ask the server to end a session idle in a transaction, and bound every statement', async () => {
  const pool = new Pool(poolSettings(PG_TEST_URL, { max: 1 }));
  try {
    const show = async (name: string): Promise<string> => (await pool.query<Record<string, string>>(`SHOW ${name}`)).rows[0]![name]!;
    assert.equal(await show('idle_in_transaction_session_timeout'), '30s');
    assert.equal(await show('statement_timeout'), '1min');
  } finally {
    await pool.end();
  }
});

test('a session left idle inside a transaction holding a lock is ended by the server, which frees the lock', async () => {
  // A short limit for the test; the gateway's is IDLE_IN_TRANSACTION_MS.
  const stuck = new Pool(poolSettings(PG_TEST_URL, { max: 1, idle_in_transaction_session_timeout: 300 }));
  stuck.on('error', () => undefined);
  const other = new Pool(poolSettings(PG_TEST_URL, { max: 1 }));
  const key = 0x7e57_0001;
  try {
    const client = await stuck.connect();
    client.on('error', () => undefined);
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [key]);
    // The holder goes silent (a frozen host); the other replica gets the lock once the server ends it.
    const got = await other.query<{ ok: boolean }>(`SELECT set_config('lock_timeout', '10s', false), pg_advisory_lock($1) IS NOT NULL AS ok`, [key]);
    assert.equal(got.rows[0]?.ok, true);
    await other.query('SELECT pg_advisory_unlock($1)', [key]);
    client.release(true);
  } finally {
    await other.end();
    await stuck.end().catch(() => undefined);
  }
});
