import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, test, type TestContext } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../src/config/load-config';
import { GatewayError } from '../../src/errors/gateway-error';
import { FhirKitEhrClient } from '../../src/fhir/delivery/fhir-kit-ehr-client';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics';
import { DecodePool } from '../../src/pipeline/decode-pool';
import { DecodeStage as DecodeStageClass } from '../../src/pipeline/decode.stage';
import { DeliverStage } from '../../src/pipeline/deliver.stage';
import type { PipelineStage } from '../../src/pipeline/pipeline-stage';
import { PipelineWorker } from '../../src/pipeline/pipeline-worker';
import { MAX_TRANSIENT_ATTEMPTS } from '../../src/pipeline/retry-policy';
import type { IncomingMessage } from '../../src/store/message';
import { SqliteMessageStore } from '../../src/store/sqlite/sqlite-message-store';
import { fixture } from '../helpers/paths';

const silent = pino({ level: 'silent' });
const pool = new DecodePool(1);
after(() => pool.onApplicationShutdown());
/** The real decode stage on a real worker thread. */
class DecodeStage extends DecodeStageClass {
  constructor() {
    super(pool);
  }
}

async function openStore(t: TestContext): Promise<SqliteMessageStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-pipe-'));
  const store = new SqliteMessageStore({ file: join(dir, 'store.sqlite') });
  await store.migrate();
  t.after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

function worker(store: SqliteMessageStore, stages: PipelineStage[], leaseMs = 30_000, concurrency = 4): PipelineWorker {
  return new PipelineWorker(store, stages, loadConfig({ PIPELINE_LEASE_MS: String(leaseMs), PIPELINE_POLL_MS: '20', PIPELINE_CONCURRENCY: String(concurrency) }), silent, new GatewayMetrics(store));
}

async function until(what: string, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A real HTTP server that holds every POST until `release()`; counts the requests it holds at once. */
async function slowEhr(t: TestContext): Promise<{ url: string; held: () => number; most: () => number; release: () => void }> {
  const waiting: ServerResponse[] = [];
  let released = false;
  let most = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (released) return void res.writeHead(201).end();
      waiting.push(res);
      most = Math.max(most, waiting.length);
    });
  });
  const release = (): void => {
    released = true;
    for (const res of waiting.splice(0)) res.writeHead(201).end();
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    release(); // a failed test must not leave requests hanging
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/fhir`, held: () => waiting.length, most: () => most, release };
}

function incoming(path: string, sourceId: string): IncomingMessage {
  return { protocol: 'file', peer: {}, sourceId, contentType: 'application/octet-stream', raw: readFileSync(path), receivedAt: new Date() };
}

test('decode moves a real HL7 ECG to decoded with a summary, and a bad one to failed with code and field', async (t) => {
  const store = await openStore(t);
  const good = await store.receive(incoming(fixture('hl7', 'ecg', 'oru_r01_v23_na_12lead.hl7'), 'good'));
  const bad = await store.receive(incoming(fixture('hl7', 'ecg', 'bad', 'oru_missing_patient_id.hl7'), 'bad'));
  const w = worker(store, [new DecodeStage()]);
  assert.equal(await w.step(new DecodeStage()), true);
  assert.equal(await w.step(new DecodeStage()), true);
  assert.equal(await w.step(new DecodeStage()), false, 'nothing left to claim');
  const decoded = (await store.get(good.id))!;
  assert.equal(decoded.state, 'decoded');
  assert.equal((decoded.summary as { samplesPerLead: number }).samplesPerLead, 5000);
  assert.equal((decoded.summary as { patient: { id: string } }).patient.id, 'SBJ-123');
  const failed = (await store.get(bad.id))!;
  assert.equal(failed.state, 'failed');
  assert.deepEqual([failed.lastError?.code, failed.lastError?.field], ['DECODE_REQUIRED_FIELD_MISSING', 'PID-3']);
});

test('a DICOM ECG is decoded by the same stage (format detected from content)', async (t) => {
  const store = await openStore(t);
  const dcm = await store.receive(incoming(fixture('dicom', 'ecgtoolkit_Example.dcm'), 'dcm'));
  await worker(store, []).step(new DecodeStage());
  const row = (await store.get(dcm.id))!;
  assert.equal(row.state, 'decoded', JSON.stringify(row.lastError));
  assert.equal((row.summary as { format: string }).format, 'dicom');
});

test('transient failures are retried later, then dead-lettered; internal errors are dead at once', async (t) => {
  const store = await openStore(t);
  const a = await store.receive(incoming(fixture('hl7', 'ecg', 'oru_r01_v23_na_12lead.hl7'), 'a'));
  const flaky: PipelineStage = { name: 'flaky', from: 'received', run: () => Promise.reject(new GatewayError('FHIR_UNAVAILABLE', 'EHR answered 503')) };
  const w = worker(store, [flaky]);
  assert.equal(await w.step(flaky), true);
  let row = (await store.get(a.id))!;
  assert.equal(row.state, 'received');
  assert.equal(row.lastError?.code, 'FHIR_UNAVAILABLE');
  assert.equal(await w.step(flaky), false, 'not claimable before its retry time');
  // Play the retries 2 … MAX-1 with a clock past each retry time (as a worker would, hours later).
  for (let attempt = 2; attempt < MAX_TRANSIENT_ATTEMPTS; attempt++) {
    const claimed = await store.claimNext('received', 'clock', 1000, new Date(Date.now() + 3_600_000));
    assert.ok(claimed, `attempt ${attempt} claimable after its retry time`);
    await store.transition(a.id, claimed.claimToken, { to: 'received', event: 'flaky-retry', retryAt: new Date(0) }, new Date());
  }
  assert.equal(await w.step(flaky), true);
  row = (await store.get(a.id))!;
  assert.equal(row.state, 'dead');
  assert.equal(row.attempts, MAX_TRANSIENT_ATTEMPTS);

  const b = await store.receive(incoming(fixture('hl7', 'ecg', 'oru_r01_v23_na_12lead.hl7'), 'b'));
  const buggy: PipelineStage = { name: 'buggy', from: 'received', run: () => Promise.reject(new TypeError('x is undefined')) };
  await w.step(buggy);
  assert.deepEqual([(await store.get(b.id))!.state, (await store.get(b.id))!.lastError?.code], ['dead', 'INTERNAL']);
});

test('a message claimed by a worker that died is decoded by the next one once the lease expires', async (t) => {
  const store = await openStore(t);
  const a = await store.receive(incoming(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), 'a'));
  const dead = await store.claimNext('received', 'died-mid-decode', 200, new Date());
  assert.ok(dead);
  const w = worker(store, [new DecodeStage()], 200);
  assert.equal(await w.step(new DecodeStage()), false, 'still leased');
  await new Promise((r) => setTimeout(r, 250));
  assert.equal(await w.step(new DecodeStage()), true);
  const row = (await store.get(a.id))!;
  assert.equal(row.state, 'decoded');
  assert.deepEqual((await store.timeline(a.id)).map((e) => e.event), ['received', 'lease-expired', 'decode']);
});

test('the worker loop drains what arrives and stops cleanly', async (t) => {
  const store = await openStore(t);
  const w = worker(store, [new DecodeStage()]);
  w.onApplicationBootstrap();
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await store.receive(incoming(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), `loop-${i}`))).id);
  const deadline = Date.now() + 20_000;
  while ((await store.countByState()).decoded < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await w.beforeApplicationShutdown();
  assert.equal((await store.countByState()).decoded, 3);
});

test('a delivery hanging on a slow EHR does not stop decoding of other messages; deliveries in hand stay within PIPELINE_CONCURRENCY', async (t) => {
  const store = await openStore(t);
  const ehr = await slowEhr(t);
  const deliver: PipelineStage = {
    name: 'deliver',
    from: 'decoded',
    run: async () => {
      const res = await fetch(ehr.url, { method: 'POST', body: '{}' });
      return { to: 'delivered', event: 'deliver', detail: { status: res.status } };
    },
  };
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push((await store.receive(incoming(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), `slow-${i}`))).id);
  const w = worker(store, [new DecodeStage(), deliver], 30_000, 2);
  w.onApplicationBootstrap();
  let stopped = false;
  t.after(async () => {
    if (!stopped) await w.beforeApplicationShutdown();
  });

  // Every message gets decoded although the first two deliveries hang: the decode loop does not wait on them.
  await until('all six are decoded', async () => (await store.countByState()).received === 0);
  await until('two deliveries are held', () => Promise.resolve(ehr.held() === 2));
  const counts = await store.countByState();
  assert.equal(counts.decoded, 6, 'two in hand at the EHR, four waiting for a free delivery slot');
  assert.equal(counts.delivered, 0);
  assert.equal(ehr.held(), 2, 'no third delivery while two are in hand');

  ehr.release();
  await until('all six are delivered', async () => (await store.countByState()).delivered === 6);
  await w.beforeApplicationShutdown();
  stopped = true;
  assert.equal(ehr.most(), 2, 'never more than PIPELINE_CONCURRENCY deliveries at once');
  for (const id of ids) assert.deepEqual((await store.timeline(id)).map((e) => e.event), ['received', 'decode', 'deliver']);
});

test('shutdown waits for the messages in hand and applies their transitions before it resolves', async (t) => {
  const store = await openStore(t);
  const a = await store.receive(incoming(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), 'held'));
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  let finish!: () => void;
  const held = new Promise<void>((resolve) => (finish = resolve));
  const stage: PipelineStage = {
    name: 'held',
    from: 'received',
    run: async () => {
      started();
      await held;
      return { to: 'decoded', event: 'held' };
    },
  };
  const w = worker(store, [stage]);
  w.onApplicationBootstrap();
  await running;
  const order: string[] = [];
  const stopping = w.beforeApplicationShutdown().then(() => order.push('stopped'));
  await new Promise((r) => setImmediate(r));
  order.push('released');
  finish();
  await stopping;
  assert.deepEqual(order, ['released', 'stopped']);
  assert.equal((await store.get(a.id))!.state, 'decoded');
});

/** Renewals fail as if the store were away (STORE_UNAVAILABLE): the lease lapses silently. */
function failRenewals(store: SqliteMessageStore): void {
  store.renewLease = () => Promise.reject(new GatewayError('STORE_UNAVAILABLE', 'the store cannot commit now (test)'));
}

test('a stage is told when its lease lapses; a stage that stops with STORE_CLAIM_LOST has nothing applied', async (t) => {
  const store = await openStore(t);
  const a = await store.receive(incoming(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), 'lapsing'));
  failRenewals(store);
  let validAtStart: boolean | undefined;
  const stage: PipelineStage = {
    name: 'careful',
    from: 'received',
    run: async (_claimed, _now, lease) => {
      assert.ok(lease, 'the worker passes the lease');
      validAtStart = lease.isValid();
      await new Promise((resolve) => lease.signal.addEventListener('abort', resolve, { once: true }));
      throw lease.signal.reason;
    },
  };
  assert.equal(await worker(store, [stage], 300).step(stage), true);
  assert.equal(validAtStart, true);
  const row = (await store.get(a.id))!;
  assert.equal(row.state, 'received');
  assert.equal(row.attempts, 1);
  assert.equal(row.lastError, undefined, 'no retry recorded: the claim was not ours to move');
  assert.deepEqual((await store.timeline(a.id)).map((e) => e.event), ['received']);
});

/** A real FHIR endpoint that answers every transaction 200 and counts the POSTs. */
async function countingEhr(t: TestContext): Promise<{ url: string; posts: () => number }> {
  let posts = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') posts++;
      res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response', entry: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/fhir`, posts: () => posts };
}

test('the deliver stage does not POST when its lease lapsed (a freeze longer than the lease) before the request', async (t) => {
  const store = await openStore(t);
  const ehr = await countingEhr(t);
  const lines: Array<{ msg?: string; messageId?: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { msg?: string });
      done();
    },
  });
  const leaseMs = 300;
  const config = loadConfig({ PIPELINE_LEASE_MS: String(leaseMs), PIPELINE_POLL_MS: '20' });
  const a = await store.receive(incoming(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), 'frozen'));
  // Bring it to scored (no models: an empty score list maps to the ECG alone).
  for (const [from, to] of [['received', 'decoded'], ['decoded', 'scored']] as const) {
    const claimed = (await store.claimNext(from, 'setup', 1000, new Date()))!;
    await store.transition(a.id, claimed.claimToken, { to, event: to, ...(to === 'scored' ? { results: { scores: [] } } : {}) }, new Date());
  }
  const deliver = new DeliverStage(
    new FhirKitEhrClient({ baseUrl: () => ehr.url, timeoutMs: 5000 }),
    store,
    loadFhirMappings(),
    { patientReference: 'conditional-create', sourceTimeZone: 'UTC', gatewayVersion: 'test', target: ehr.url, auth: 'none' },
    config,
    pino({ level: 'info' }, sink),
  );
  // The process freezes (no timer, no renewal runs) for twice the lease while the stage reads the timeline.
  const timeline = store.timeline.bind(store);
  let froze = false;
  store.timeline = async (id) => {
    if (!froze) {
      froze = true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2 * leaseMs);
    }
    return timeline(id);
  };
  const w = new PipelineWorker(store, [deliver], config, silent, new GatewayMetrics(store));
  assert.equal(await w.step(deliver), true);
  assert.ok(froze);
  assert.equal(ehr.posts(), 0, 'no POST after the lease lapsed');
  assert.ok(lines.some((l) => l.msg === 'claim lost before delivery' && l.messageId === a.id));
  const row = (await store.get(a.id))!;
  assert.equal(row.state, 'scored');
  assert.deepEqual((await store.timeline(a.id)).map((e) => e.event), ['received', 'decoded', 'scored'], 'no delivery-attempt recorded');

  // Without the freeze the same stage delivers, once the lapsed claim is taken over: the check holds back only a lapsed lease.
  await until('delivered', async () => {
    await w.step(deliver);
    return (await store.get(a.id))!.state === 'delivered';
  });
  assert.equal(ehr.posts(), 1);
});
