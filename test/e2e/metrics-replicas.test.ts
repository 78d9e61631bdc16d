import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFhirServer, type FhirServerProcess } from '../helpers/fhir-server-process';
import { FAST_RETRY_ENV, hl7Text, sendHl7 } from '../helpers/fhir-server-e2e';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { withControlId } from '../helpers/hl7-messages';
import { fixture } from '../helpers/paths';
import { scrapeMetrics, sumOf, type PromExposition } from '../helpers/prometheus-text';
import { createSchema, dropSchema, uniqueSchemaName, urlWithSchema } from '../store/postgres-test-schema';

/**
 * /metrics with two replicas on one PostgreSQL schema (issues 8 and 9): counters count each
 * process's own work, so summed over the replicas they count every ECG once; queue depth reads
 * the shared store, so both replicas report the same numbers; replica_info tells them apart.
 */

const N = 6;
const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const CONTRACT_MODELS = ['contract-ecgfounder-cad', 'contract-vit-multitask'];

describe('/metrics across two replicas on one PostgreSQL (real gateways, FHIR server process)', () => {
  const schema = uniqueSchemaName();
  let fhir: FhirServerProcess;
  const replicas: GatewayProcess[] = [];
  let scraped: PromExposition[] = [];

  before(async () => {
    await createSchema(schema);
    fhir = await startFhirServer();
    const env = { ...FAST_RETRY_ENV, DATABASE_URL: urlWithSchema(schema), FHIR_BASE_URL: fhir.baseUrl };
    replicas.push(await startGateway({ env }));
    replicas.push(await startGateway({ env }));

    const ids = Array.from({ length: N }, (_, i) => `METRICS-REP-${i + 1}`);
    const acks = await Promise.all(ids.map((id, i) => sendHl7(replicas[i % 2]!, withControlId(hl7Text(MA), id))));
    assert.deepEqual(acks, ids.map(() => 'AA'));
    // Either replica's queue depth says when the shared pipeline is done.
    await waitFor(
      async () => sumOf(await scrapeMetrics(replicas[0]!.baseUrl), 'ecg_gateway_queue_depth', { state: 'delivered' }) === N,
      120_000,
      `${N} ECGs delivered`,
      () => replicas.map((r) => r.logs()).join('\n'),
    );
    scraped = await Promise.all(replicas.map((r) => scrapeMetrics(r.baseUrl)));
  });
  after(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await fhir?.stop();
    await dropSchema(schema);
  });

  const total = (name: string, where: Record<string, string> = {}): number => scraped.reduce((n, m) => n + sumOf(m, name, where), 0);

  test('counters are per replica: each counts what it acknowledged, and the sum over replicas is every ECG once', () => {
    assert.deepEqual(scraped.map((m) => sumOf(m, 'ecg_gateway_messages_acknowledged_total', { protocol: 'mllp' })), [N / 2, N / 2]);
    assert.equal(total('ecg_gateway_messages_acknowledged_total'), N);
    assert.equal(total('ecg_gateway_delivery_attempts_total', { outcome: 'delivered' }), N, 'each ECG delivered by one replica');
    assert.equal(total('ecg_gateway_stage_duration_seconds_count', { stage: 'deliver' }), N);
    for (const model of CONTRACT_MODELS) assert.equal(total('ecg_gateway_model_batch_size_sum', { model }), N, `${model}: every ECG scored once over both replicas`);
    assert.equal(total('ecg_gateway_claims_lost_total'), 0);
  });

  test('queue depth reads the shared store: both replicas report every state the same', () => {
    for (const m of scraped) assert.equal(sumOf(m, 'ecg_gateway_queue_depth', { state: 'delivered' }), N);
    const depths = scraped.map((m) => m.samples.filter((s) => s.name === 'ecg_gateway_queue_depth').map((s) => [s.labels['state'], s.value]));
    assert.deepEqual(depths[0], depths[1]);
  });

  test('replica_info names each replica by its own worker id', () => {
    const ids = scraped.map((m) => m.samples.filter((s) => s.name === 'ecg_gateway_replica_info'));
    ids.forEach((series, i) => {
      assert.equal(series.length, 1);
      assert.equal(series[0]!.value, 1);
      assert.match(series[0]!.labels['worker_id'] ?? '', new RegExp(`:${replicas[i]!.child.pid}:`));
    });
    assert.notEqual(ids[0]![0]!.labels['worker_id'], ids[1]![0]!.labels['worker_id']);
  });
});
