import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import pino from 'pino';
import { MllpSender } from '../../../src/cli/mllp-sender';
import { Hl7IngestService } from '../../../src/ingest/hl7/hl7-ingest.service';
import { MllpConnection } from '../../../src/ingest/hl7/mllp-connection';
import { GatewayMetrics } from '../../../src/metrics/gateway-metrics';
import { DecodePool } from '../../../src/pipeline/decode-pool';
import { SqliteMessageStore } from '../../../src/store/sqlite/sqlite-message-store';
import { hl7Fixture, withControlId, withMshFields } from '../../helpers/hl7-messages';
import { fixture } from '../../helpers/paths';

const silent = pino({ level: 'silent' });
const pool = new DecodePool(1);
after(() => pool.onApplicationShutdown());
const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');

/** The real ingest service and MLLP connection handling on a real SQLite store, on an OS-assigned port. */
async function listener(t: TestContext): Promise<{ port: number; store: SqliteMessageStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-hl7-'));
  const store = new SqliteMessageStore({ file: join(dir, 'store.sqlite') });
  await store.migrate();
  const ingest = new Hl7IngestService(store, pool, new GatewayMetrics(store), silent);
  const handler = {
    onMessage: (p: Buffer, a: string | undefined) => ingest.onMessage(p, a),
    onOversize: (h: Buffer, n: number, a: string | undefined) => ingest.onOversize(h, n, 1_000_000, a),
  };
  const server: Server = createServer((socket) => new MllpConnection(socket, handler, silent, { maxMessageBytes: 1_000_000, idleTimeoutMs: 60_000 }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(async () => {
    await new Promise((r) => server.close(r));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, store };
}

async function send(port: number, text: string) {
  const sender = await MllpSender.connect('127.0.0.1', port);
  try {
    return await sender.send(text);
  } finally {
    await sender.close();
  }
}

test('when the store cannot commit, a good message gets AR with ERR-3 207 (original mode) and CE (enhanced)', async (t) => {
  const { port, store } = await listener(t);
  await store.close();
  const original = await send(port, withControlId(hl7Fixture(MA), 'DOWN-1'));
  assert.deepEqual([original.code, original.errorCondition, original.ackedControlId], ['AR', '207', 'DOWN-1']);
  assert.match(original.errorText ?? '', /store cannot commit/);
  const enhanced = await send(port, withMshFields(hl7Fixture(MA), { 10: 'DOWN-2', 15: 'AL', 16: 'NE' }));
  assert.deepEqual([enhanced.code, enhanced.errorCondition], ['CE', '207']);
});

test('when the store cannot commit, bad content still gets its own NAK (resending it unchanged would not help)', async (t) => {
  const { port, store } = await listener(t);
  await store.close();
  const ack = await send(port, hl7Fixture(fixture('hl7', 'ecg', 'bad', 'oru_missing_patient_id.hl7')));
  assert.deepEqual([ack.code, ack.errorCondition, ack.errorLocation], ['AE', '101', 'PID^1^3']);
});

test('by the time AA arrives the message is committed, with the peer and MSH identity', async (t) => {
  const { port, store } = await listener(t);
  const ack = await send(port, withControlId(hl7Fixture(MA), 'COMMITTED-1'));
  assert.equal(ack.code, 'AA');
  const [row] = (await store.list({ limit: 10 })).items;
  assert.equal(row?.sourceId, 'COMMITTED-1');
  assert.equal(row?.state, 'decoded', 'validated at ingest, committed decoded with its summary');
  assert.equal((row?.summary as { samplesPerLead?: number } | undefined)?.samplesPerLead, 5000);
  assert.equal(row?.dedupKey, 'hl7:ECGCART|CARDIOLOGY:COMMITTED-1');
  assert.deepEqual(row?.peer, { sendingApplication: 'ECGCART', sendingFacility: 'CARDIOLOGY', address: '127.0.0.1' });
});
