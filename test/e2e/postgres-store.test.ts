import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from 'pg';
import { FAST_RETRY_ENV, hl7Text, isDelivered, sendHl7, waitForMessage } from '../helpers/fhir-server-e2e';
import { startGateway } from '../helpers/gateway-process';
import { withControlId } from '../helpers/hl7-messages';
import { allMessages } from '../helpers/messages-api';
import { fixture } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';
import { createSchema, dropSchema, uniqueSchemaName, urlWithSchema } from '../store/postgres-test-schema';

/** The real gateway on DATABASE_URL: the inbox, the pipeline's claims and the timeline live in PostgreSQL. */

const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');

test('with DATABASE_URL an HL7 ECG over MLLP is committed in PostgreSQL, decoded, scored and delivered', async (t) => {
  const schema = uniqueSchemaName();
  await createSchema(schema);
  t.after(() => dropSchema(schema));
  const url = urlWithSchema(schema);
  const gw = await startGateway({ env: { ...FAST_RETRY_ENV, DATABASE_URL: url } });
  t.after(() => gw.stop());

  const health = (await (await fetch(`${gw.baseUrl}/health`)).json()) as { checks: Record<string, { ok: boolean }> };
  assert.equal(health.checks['store']?.ok, true);
  assert.match(gw.logs(), /"adapter":"PostgresMessageStore"/);

  const text = withControlId(hl7Text(MA), 'PG-E2E-1');
  assert.equal(await sendHl7(gw, text), 'AA');
  const delivered = await waitForMessage(gw, 'PG-E2E-1', isDelivered, 'delivered with the PostgreSQL store');
  const events = (delivered.timeline ?? []).map((e) => e.state);
  assert.deepEqual(events.slice(0, 2), ['received', 'decoded']);
  assert.ok(events.includes('scored') && events.at(-1) === 'delivered', events.join(' → '));

  // The same bytes again: AA, and a repeat of the one row rather than a second.
  assert.equal(await sendHl7(gw, text), 'AA');
  const rows = (await allMessages(gw.baseUrl)).filter((m) => m.sourceId === 'PG-E2E-1');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.repeats, 1);

  // What the API showed is what PostgreSQL holds (not a SQLite file in DATA_DIR).
  const client = new Client({ connectionString: url });
  await client.connect();
  t.after(() => client.end());
  const stored = await client.query<{ state: string; repeats: number; raw_bytes: number }>(
    `SELECT m.state, m.repeats, octet_length(r.bytes) AS raw_bytes FROM messages m JOIN message_raw r ON r.message_id = m.id WHERE m.source_id = $1`,
    ['PG-E2E-1'],
  );
  assert.deepEqual(stored.rows, [{ state: 'delivered', repeats: 1, raw_bytes: Buffer.byteLength(text, 'utf8') }]);
});

test('an unreachable DATABASE_URL stops startup with one clear error line', () => {
  const r = runCli(['serve'], { DATABASE_URL: 'postgres://gw@127.0.0.1:1/ecg', HTTP_PORT: '0', MLLP_PORT: '0', DICOM_PORT: '0', LOG_LEVEL: 'silent' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /^error STORE_UNAVAILABLE DATABASE_URL: the store cannot commit now/m);
});
