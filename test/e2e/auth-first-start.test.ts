import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client } from 'pg';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { createSchema, dropSchema, uniqueSchemaName, urlWithSchema } from '../store/postgres-test-schema';

/** The admin token of issue #8: generated and printed once at first start unless ADMIN_TOKEN sets it; stored as a hash. */

const BANNER = /ADMIN TOKEN \(shown once\): (ecggw_[A-Za-z0-9_-]{43})\n/g;

function printedTokens(gw: GatewayProcess): string[] {
  return [...gw.logs().matchAll(BANNER)].map((m) => m[1]!);
}

async function apiStatus(gw: GatewayProcess, token: string): Promise<number> {
  return (await fetch(`${gw.baseUrl}/api/messages`, { headers: { authorization: `Bearer ${token}` } })).status;
}

const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Every byte of the SQLite database and its WAL in DATA_DIR, as text to search. */
function databaseBytes(dataDir: string): string {
  return readdirSync(dataDir)
    .filter((n) => n.startsWith('ecg-gateway.sqlite'))
    .map((n) => readFileSync(join(dataDir, n)).toString('latin1'))
    .join('');
}

test('first start prints an admin token once; it opens /api, only its hash is stored, a restart prints none; ADMIN_TOKEN replaces it', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecggw-auth-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));

  const first = await startGateway({ dataDir, adminToken: false });
  t.after(() => first.stop());
  const printed = printedTokens(first);
  assert.equal(printed.length, 1, 'printed exactly once');
  const token = printed[0]!;
  assert.equal(first.logs().split(token).length - 1, 1, 'the token appears nowhere else in the output');
  assert.equal(await apiStatus(first, token), 200);
  assert.equal(await apiStatus(first, `${token}x`), 401);
  await first.stop();

  const stored = databaseBytes(dataDir);
  assert.ok(!stored.includes(token), 'the token is not in the database');
  assert.ok(stored.includes(sha256(token)), 'its sha256 is');

  const second = await startGateway({ dataDir, adminToken: false });
  t.after(() => second.stop());
  assert.doesNotMatch(second.logs(), /ADMIN TOKEN/, 'a later start prints nothing');
  assert.equal(await apiStatus(second, token), 200, 'the first token still works');
  await second.stop();

  const chosen = 'ecggw_chosen-by-the-operator-0001';
  const third = await startGateway({ dataDir, adminToken: chosen });
  t.after(() => third.stop());
  assert.doesNotMatch(third.logs(), /ADMIN TOKEN/);
  assert.equal(await apiStatus(third, chosen), 200);
  assert.equal(await apiStatus(third, token), 401, 'ADMIN_TOKEN replaced the generated token');
});

test('two replicas starting at once on one PostgreSQL print one admin token between them, which both accept', async (t) => {
  const schema = uniqueSchemaName();
  await createSchema(schema);
  t.after(() => dropSchema(schema));
  const url = urlWithSchema(schema);
  const replicas = await Promise.all([startGateway({ adminToken: false, env: { DATABASE_URL: url } }), startGateway({ adminToken: false, env: { DATABASE_URL: url } })]);
  t.after(() => Promise.all(replicas.map((r) => r.stop())));
  const printed = replicas.flatMap(printedTokens);
  assert.equal(printed.length, 1, 'one banner in all');
  for (const r of replicas) assert.equal(await apiStatus(r, printed[0]!), 200);

  const db = new Client({ connectionString: url });
  await db.connect();
  t.after(() => db.end());
  const rows = (await db.query<Record<string, unknown>>('SELECT * FROM api_tokens')).rows;
  assert.deepEqual(rows.map((r) => [r['name'], r['token_hash']]), [['admin', sha256(printed[0]!)]]);
  assert.ok(!JSON.stringify(rows).includes(printed[0]!));
});

test('a too short ADMIN_TOKEN stops the start with a line naming it', async () => {
  await assert.rejects(startGateway({ adminToken: 'short' }), /ADMIN_TOKEN/);
});
