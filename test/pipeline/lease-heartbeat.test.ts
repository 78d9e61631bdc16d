import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../../src/config/load-config';
import { GatewayError, isGatewayError } from '../../src/errors/gateway-error';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics';
import { LeaseHeartbeat, leaseRenewalMs } from '../../src/pipeline/lease-heartbeat';
import type { PipelineStage } from '../../src/pipeline/pipeline-stage';
import { PipelineWorker } from '../../src/pipeline/pipeline-worker';
import type { IncomingMessage } from '../../src/store/message';
import { SqliteMessageStore } from '../../src/store/sqlite/sqlite-message-store';
import { parsePrometheusText, sumOf } from '../helpers/prometheus-text';

const silent = pino({ level: 'silent' });
const HOUR_MS = 60 * 60 * 1000;

async function openStore(t: TestContext): Promise<SqliteMessageStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-lease-'));
  const store = new SqliteMessageStore({ file: join(dir, 'store.sqlite') });
  await store.migrate();
  t.after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

function message(sourceId: string): IncomingMessage {
  return { protocol: 'file', peer: {}, sourceId, contentType: 'application/octet-stream', raw: new TextEncoder().encode(sourceId), receivedAt: new Date() };
}

async function until(what: string, ok: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function configError(env: Record<string, string>): string | undefined {
  try {
    leaseRenewalMs(loadConfig(env));
    return undefined;
  } catch (err: unknown) {
    assert.ok(isGatewayError(err));
    assert.equal(err.code, 'CONFIG_INVALID');
    return err.field;
  }
}

test('the lease is renewed every third of it by default; a lease that cannot survive two late renewals is CONFIG_INVALID', () => {
  assert.equal(leaseRenewalMs(loadConfig({})), 10_000, 'default: 30 s lease, renewed every 10 s');
  assert.equal(leaseRenewalMs(loadConfig({ PIPELINE_LEASE_MS: '2000' })), 666);
  assert.equal(leaseRenewalMs(loadConfig({ PIPELINE_LEASE_MS: '9000', PIPELINE_LEASE_RENEW_MS: '3000' })), 3000);
  assert.equal(leaseRenewalMs(loadConfig({ PIPELINE_LEASE_MS: '9000', PIPELINE_LEASE_RENEW_MS: '500' })), 500);
  assert.equal(configError({ PIPELINE_LEASE_MS: '9000', PIPELINE_LEASE_RENEW_MS: '3001' }), 'PIPELINE_LEASE_RENEW_MS');
  assert.equal(configError({ PIPELINE_LEASE_MS: '2000', PIPELINE_LEASE_RENEW_MS: '5000' }), 'PIPELINE_LEASE_RENEW_MS');
  assert.equal(configError({ PIPELINE_LEASE_MS: '2' }), 'PIPELINE_LEASE_MS');
  // The old rule (5 × FHIR_TIMEOUT_MS below the lease) is gone: a delivery may outlast the lease.
  assert.equal(configError({ PIPELINE_LEASE_MS: '2000', FHIR_TIMEOUT_MS: '10000' }), undefined);
});

test('a heartbeat keeps a claim past its lease: no other worker can claim the message', async (t) => {
  const store = await openStore(t);
  const { id } = await store.receive(message('held'));
  const claimedAt = new Date();
  const claimed = (await store.claimNext('received', 'holder', 300, claimedAt))!;
  const heartbeat = LeaseHeartbeat.start(store, claimed, { leaseMs: 300, intervalMs: 100 }, silent);
  t.after(() => heartbeat.stop());
  // Each renewal starts a new lease from its own time, so after 4 (≥ 400 ms on) the first lease is long covered.
  await until('four renewals', () => heartbeat.renewals >= 4);
  assert.equal(await store.claimNext('received', 'other', 300, new Date(claimedAt.getTime() + 301)), undefined, 'the renewed lease holds');
  await heartbeat.stop();
  assert.equal(heartbeat.lost, undefined);
  await store.transition(id, claimed.claimToken, { to: 'decoded', event: 'decode' }, new Date());
  assert.deepEqual((await store.timeline(id)).map((e) => e.event), ['received', 'decode']);
});

test('a heartbeat whose claim was taken over stops and reports it lost', async (t) => {
  const store = await openStore(t);
  const { id } = await store.receive(message('taken'));
  const claimed = (await store.claimNext('received', 'stalled', 300, new Date()))!;
  let told: string | undefined;
  const heartbeat = LeaseHeartbeat.start(store, claimed, { leaseMs: 300, intervalMs: 100, onLost: (e) => (told = e.code) }, silent);
  t.after(() => heartbeat.stop());
  // Another replica whose clock is past the lease takes the message over.
  const taken = await store.claimNext('received', 'other', 300, new Date(Date.now() + HOUR_MS));
  assert.equal(taken?.row.id, id);
  await until('the heartbeat notices', () => heartbeat.lost !== undefined);
  assert.equal(heartbeat.lost?.code, 'STORE_CLAIM_LOST');
  assert.equal(told, 'STORE_CLAIM_LOST');
});

test('the worker does not apply a stage whose claim was taken over while it ran, and counts it', async (t) => {
  const store = await openStore(t);
  const lines: Array<{ msg?: string; stage?: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { msg?: string });
      done();
    },
  });
  const metrics = new GatewayMetrics(store);
  const w = new PipelineWorker(store, [], loadConfig({ PIPELINE_LEASE_MS: '300', PIPELINE_POLL_MS: '20' }), pino({ level: 'info' }, sink), metrics);
  const { id } = await store.receive(message('slow'));

  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  const slow: PipelineStage = {
    name: 'slow',
    from: 'received',
    run: async () => {
      await released;
      return { to: 'decoded', event: 'decode' };
    },
  };
  const step = w.step(slow);
  t.after(() => release());
  await until('the stage holds the message', async () => (await store.get(id))?.attempts === 1);
  const taken = await store.claimNext('received', 'other-replica', 300, new Date(Date.now() + HOUR_MS));
  assert.equal(taken?.row.id, id);
  await until('the worker notices the lost claim', () => lines.some((l) => l.msg === 'claim lost while the stage runs; stopped renewing its lease'));
  release();
  assert.equal(await step, true);

  const row = (await store.get(id))!;
  assert.equal(row.state, 'received', 'the stale outcome (decoded) was not applied');
  assert.deepEqual((await store.timeline(id)).map((e) => e.event), ['received', 'lease-expired']);
  assert.ok(lines.some((l) => l.msg === 'claim lost while the stage ran; its outcome is not applied' && l.stage === 'slow'));
  const m = parsePrometheusText((await metrics.scrape()).body);
  assert.equal(sumOf(m, 'ecg_gateway_claims_lost_total', { stage: 'slow' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_stage_duration_seconds_count', { stage: 'slow' }), 0, 'no stage outcome recorded');
  // The new holder still holds it and moves it on.
  await store.transition(id, taken.claimToken, { to: 'decoded', event: 'decode' }, new Date());
});

type Fault = 'hang' | 'unavailable' | 'pass';

/** The real store, with its lease renewals faulted on demand: hung (a dead connection) or STORE_UNAVAILABLE (the store away). */
function faultRenewals(store: SqliteMessageStore, fault: (call: number) => Fault): { calls: () => number } {
  const renew = store.renewLease.bind(store);
  let calls = 0;
  store.renewLease = (...args) => {
    switch (fault(++calls)) {
      case 'hang':
        return new Promise<void>(() => undefined);
      case 'unavailable':
        return Promise.reject(new GatewayError('STORE_UNAVAILABLE', 'the store cannot commit now (test)'));
      case 'pass':
        return renew(...args);
    }
  };
  return { calls: () => calls };
}

test('a healthy heartbeat keeps its lease valid past the first lease', async (t) => {
  const store = await openStore(t);
  await store.receive(message('valid'));
  const claimedAt = new Date();
  const claimed = (await store.claimNext('received', 'holder', 300, claimedAt))!;
  const heartbeat = LeaseHeartbeat.start(store, claimed, { leaseMs: 300, intervalMs: 100, claimedAt }, silent);
  t.after(() => heartbeat.stop());
  await until('four renewals', () => heartbeat.renewals >= 4);
  assert.ok(heartbeat.validUntil > claimedAt.getTime() + 300, 'renewals moved validUntil on');
  assert.equal(heartbeat.isValid(), true);
  assert.equal(heartbeat.signal.aborted, false);
});

test('a hung renewal counts as a failed one: the next beats still renew, and stop() does not wait for it forever', { timeout: 60_000 }, async (t) => {
  const store = await openStore(t);
  await store.receive(message('hung'));
  const claimed = (await store.claimNext('received', 'holder', 300, new Date()))!;
  let hangFrom = Infinity;
  const renewals = faultRenewals(store, (call) => (call === 1 || call >= hangFrom ? 'hang' : 'pass'));
  const heartbeat = LeaseHeartbeat.start(store, claimed, { leaseMs: 300, intervalMs: 100 }, silent);
  t.after(() => heartbeat.stop());
  await until('two renewals after the hung one', () => heartbeat.renewals >= 2);
  assert.equal(heartbeat.lost, undefined, 'a hung renewal is not a lost claim');

  // Now every renewal hangs; stop() while one is in flight still resolves.
  hangFrom = renewals.calls() + 1;
  await until('a renewal hangs in flight', () => renewals.calls() >= hangFrom);
  await heartbeat.stop();
  assert.equal(heartbeat.lost, undefined);
});

test('a lease whose renewals fail lapses: the heartbeat reports it invalid and aborts its signal, without calling it lost', async (t) => {
  const store = await openStore(t);
  await store.receive(message('lapsing'));
  const claimedAt = new Date();
  const claimed = (await store.claimNext('received', 'holder', 300, claimedAt))!;
  faultRenewals(store, () => 'unavailable');
  const heartbeat = LeaseHeartbeat.start(store, claimed, { leaseMs: 300, intervalMs: 100, claimedAt }, silent);
  t.after(() => heartbeat.stop());
  assert.equal(heartbeat.isValid(), true, 'valid right after the claim');
  const aborted = new Promise<unknown>((resolve) => heartbeat.signal.addEventListener('abort', () => resolve(heartbeat.signal.reason), { once: true }));
  const reason = await aborted;
  assert.ok(isGatewayError(reason));
  assert.equal(reason.code, 'STORE_CLAIM_LOST');
  assert.equal(heartbeat.isValid(), false);
  assert.equal(heartbeat.renewals, 0);
  assert.equal(heartbeat.lost, undefined, 'not known lost: the store never said so');
  assert.ok(Date.now() >= claimedAt.getTime() + 300, 'not before the lease ran out');
});

test('a heartbeat whose claim was taken over aborts its signal; an onLost that throws does not crash the process', async (t) => {
  const store = await openStore(t);
  const { id } = await store.receive(message('thrower'));
  const claimed = (await store.claimNext('received', 'stalled', 300, new Date()))!;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => process.off('unhandledRejection', onUnhandled));
  let told = 0;
  const heartbeat = LeaseHeartbeat.start(store, claimed, {
    leaseMs: HOUR_MS,
    intervalMs: 100,
    onLost: () => {
      told++;
      throw new Error('a bug in the callback');
    },
  }, silent);
  t.after(() => heartbeat.stop());
  assert.equal((await store.claimNext('received', 'other', 300, new Date(Date.now() + 2 * HOUR_MS)))?.row.id, id);
  await until('the heartbeat notices', () => heartbeat.lost !== undefined);
  await heartbeat.stop();
  // Let a rejection from the renewal chain surface, if there were one.
  await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setImmediate(r));
  assert.equal(told, 1);
  assert.deepEqual(unhandled, []);
  assert.equal(heartbeat.isValid(), false, 'lost although its lease has an hour to run');
  assert.equal(heartbeat.signal.aborted, true);
});
