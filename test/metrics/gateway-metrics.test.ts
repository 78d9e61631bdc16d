import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { GatewayMetrics, type ModelStatsSource } from '../../src/metrics/gateway-metrics';
import { SqliteMessageStore } from '../../src/store/sqlite/sqlite-message-store';
import { parsePrometheusText, sumOf, type PromExposition } from '../helpers/prometheus-text';

// A "medium" test: the metrics on the real SQLite adapter in a temp folder, no doubles.
async function open(t: TestContext): Promise<{ store: SqliteMessageStore; metrics: GatewayMetrics }> {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-metrics-'));
  const store = new SqliteMessageStore({ file: join(dir, 'test.sqlite') });
  await store.migrate();
  t.after(async () => {
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, metrics: new GatewayMetrics(store) };
}

async function scrape(metrics: GatewayMetrics): Promise<PromExposition> {
  const { contentType, body } = await metrics.scrape();
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(body);
}

test('counts each answer as received, then acknowledged or refused with its code, per protocol', async (t) => {
  const { metrics } = await open(t);
  metrics.messageAnswered('mllp');
  metrics.messageAnswered('mllp', 'DECODE_REQUIRED_FIELD_MISSING');
  metrics.messageAnswered('dimse');
  const m = await scrape(metrics);
  assert.equal(m.types.get('ecg_gateway_messages_received_total'), 'counter');
  assert.equal(sumOf(m, 'ecg_gateway_messages_received_total', { protocol: 'mllp' }), 2);
  assert.equal(sumOf(m, 'ecg_gateway_messages_acknowledged_total', { protocol: 'mllp' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_messages_refused_total', { protocol: 'mllp', code: 'DECODE_REQUIRED_FIELD_MISSING' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_messages_acknowledged_total', { protocol: 'dimse' }), 1);
});

test('reads stage latency, delivery attempts and dead letters off the stored transition', async (t) => {
  const { metrics } = await open(t);
  metrics.stageFinished('score', { to: 'scored', event: 'score' }, 0.02);
  metrics.stageFinished('deliver', { to: 'scored', event: 'delivery-attempt', error: { code: 'FHIR_UNAVAILABLE' } }, 0.1);
  metrics.stageFinished('deliver', { to: 'delivered', event: 'delivery-attempt' }, 0.2);
  metrics.stageFinished('deliver', { to: 'dead', event: 'delivery-attempt', error: { code: 'FHIR_REJECTED' } }, 0.3);
  const m = await scrape(metrics);
  assert.equal(m.types.get('ecg_gateway_stage_duration_seconds'), 'histogram');
  assert.equal(sumOf(m, 'ecg_gateway_stage_duration_seconds_count', { stage: 'score', outcome: 'scored' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_stage_duration_seconds_count', { stage: 'deliver' }), 3);
  assert.equal(sumOf(m, 'ecg_gateway_stage_duration_seconds_bucket', { stage: 'deliver', outcome: 'delivered', le: '0.25' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_delivery_attempts_total', { outcome: 'retry' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_delivery_attempts_total', { outcome: 'delivered' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_delivery_attempts_total', { outcome: 'dead' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_dead_letters_total', { stage: 'deliver', code: 'FHIR_REJECTED' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_dead_letters_total'), 1, 'a retry is not a dead letter');
});

test('reports queue depth for every state from the store at scrape time', async (t) => {
  const { store, metrics } = await open(t);
  await store.receive({ protocol: 'mllp', peer: {}, contentType: 'application/hl7-v2', raw: Buffer.from('MSH|^~\\&|'), receivedAt: new Date(), refused: { code: 'DECODE_MALFORMED', message: 'test' } });
  const m = await scrape(metrics);
  assert.equal(m.types.get('ecg_gateway_queue_depth'), 'gauge');
  const states = m.samples.filter((s) => s.name === 'ecg_gateway_queue_depth').map((s) => s.labels['state']);
  assert.deepEqual(states, ['received', 'decoded', 'scored', 'delivered', 'failed', 'dead']);
  assert.equal(sumOf(m, 'ecg_gateway_queue_depth', { state: 'failed' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_queue_depth'), 1);
});

test('model run counters come from each model micro-batcher, labelled by model id only', async (t) => {
  const { metrics } = await open(t);
  const stats = { runs: 3, items: 7, largestBatch: 4, runSeconds: 0.25 };
  metrics.watchModels(() => [{ identity: { id: 'model-a' }, stats: () => stats }]);
  const m = await scrape(metrics);
  assert.equal(sumOf(m, 'ecg_gateway_model_runs_total', { model: 'model-a' }), 3);
  assert.equal(sumOf(m, 'ecg_gateway_model_batched_items_total', { model: 'model-a' }), 7);
  assert.equal(sumOf(m, 'ecg_gateway_model_run_seconds_total', { model: 'model-a' }), 0.25);
  assert.equal(sumOf(m, 'ecg_gateway_model_largest_batch', { model: 'model-a' }), 4);
  stats.runs = 5;
  assert.equal(sumOf(await scrape(metrics), 'ecg_gateway_model_runs_total', { model: 'model-a' }), 5, 'read again at the next scrape');
});

test('two instances keep separate registries (no clash in prom-client\'s global one)', async (t) => {
  const a = await open(t);
  const b = await open(t);
  a.metrics.messageAnswered('stow-rs');
  assert.equal(sumOf(await scrape(a.metrics), 'ecg_gateway_messages_received_total', { protocol: 'stow-rs' }), 1);
  assert.equal(sumOf(await scrape(b.metrics), 'ecg_gateway_messages_received_total', { protocol: 'stow-rs' }), 0);
});

test('each micro-batch run is observed into per-model run-time and batch-size histograms', async (t) => {
  const { metrics } = await open(t);
  type Observer = Parameters<NonNullable<ModelStatsSource['observeRuns']>>[0];
  const observers = new Map<string, Observer>();
  const model = (id: string): ModelStatsSource => ({
    identity: { id },
    stats: () => ({ runs: 0, items: 0, largestBatch: 0, runSeconds: 0 }),
    observeRuns: (o) => {
      observers.set(id, o);
      return () => observers.delete(id);
    },
  });
  metrics.watchModels(() => [model('model-a'), model('model-b')]);
  observers.get('model-a')!({ size: 3, seconds: 0.02, ok: true });
  observers.get('model-a')!({ size: 8, seconds: 0.3, ok: true });
  observers.get('model-b')!({ size: 1, seconds: 0.004, ok: false });
  const m = await scrape(metrics);
  assert.equal(m.types.get('ecg_gateway_model_run_seconds'), 'histogram');
  assert.equal(m.types.get('ecg_gateway_model_batch_size'), 'histogram');
  assert.equal(sumOf(m, 'ecg_gateway_model_run_seconds_count', { model: 'model-a' }), 2);
  assert.equal(sumOf(m, 'ecg_gateway_model_run_seconds_bucket', { model: 'model-a', le: '0.025' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_model_run_seconds_bucket', { model: 'model-a', le: '0.5' }), 2);
  assert.equal(sumOf(m, 'ecg_gateway_model_batch_size_sum', { model: 'model-a' }), 11);
  assert.equal(sumOf(m, 'ecg_gateway_model_batch_size_bucket', { model: 'model-a', le: '4' }), 1);
  assert.equal(sumOf(m, 'ecg_gateway_model_batch_size_bucket', { model: 'model-a', le: '8' }), 2);
  assert.equal(sumOf(m, 'ecg_gateway_model_batch_size_count', { model: 'model-b' }), 1);
  // Watching again (a new model list) stops the old subscriptions instead of counting twice.
  metrics.watchModels(() => [model('model-a')]);
  assert.deepEqual([...observers.keys()], ['model-a']);
});

test('names the replica by its worker id, and counts claims lost per stage', async (t) => {
  const { metrics } = await open(t);
  metrics.replicaStarted('host-a:123:abcdef');
  metrics.claimLost('deliver');
  const m = await scrape(metrics);
  assert.equal(m.types.get('ecg_gateway_replica_info'), 'gauge');
  assert.deepEqual(m.samples.filter((s) => s.name === 'ecg_gateway_replica_info'), [{ name: 'ecg_gateway_replica_info', labels: { worker_id: 'host-a:123:abcdef' }, value: 1 }]);
  assert.equal(sumOf(m, 'ecg_gateway_claims_lost_total', { stage: 'deliver' }), 1);
});

test('a store that cannot answer leaves queue_depth out and store_up 0, and the rest of the scrape is served', async (t) => {
  const { store, metrics } = await open(t);
  metrics.messageAnswered('mllp');
  let m = await scrape(metrics);
  assert.equal(sumOf(m, 'ecg_gateway_store_up', {}), 1);
  assert.equal(sumOf(m, 'ecg_gateway_queue_depth', { state: 'received' }), 0);
  // The real adapter, closed: every query now fails as it would with the database gone.
  await store.close();
  m = await scrape(metrics);
  assert.equal(sumOf(m, 'ecg_gateway_store_up', {}), 0);
  assert.equal(m.samples.filter((s) => s.name === 'ecg_gateway_queue_depth').length, 0);
  assert.equal(sumOf(m, 'ecg_gateway_messages_acknowledged_total', { protocol: 'mllp' }), 1);
});
