import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storescu } from '../helpers/dcmtk';
import { FAST_RETRY_ENV, hl7Text, sendHl7, stow, waitForMessage } from '../helpers/fhir-server-e2e';
import { startFhirServer, type FhirServerProcess } from '../helpers/fhir-server-process';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { withControlId } from '../helpers/hl7-messages';
import { fixture } from '../helpers/paths';
import { scrapeMetrics, sumOf, type PromExposition } from '../helpers/prometheus-text';

const GOOD = withControlId(hl7Text(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7')), 'METRICS-GOOD-1');
const BAD = hl7Text(fixture('hl7', 'ecg', 'bad', 'oru_missing_patient_id.hl7'));
const DICOM_STOW = fixture('dicom', 'waveform_ecg.dcm');
const DICOM_DIMSE = fixture('dicom', 'ecgtoolkit_Example.dcm');
/** Identifiers the ECGs above carry (MSH-10, PID-3, PID-5, SOP Instance UIDs): none may become a label value. */
const IDENTIFIERS = ['METRICS-GOOD-1', 'SBJ-123', 'Clark', '1.3.6.1.4.1.20029.40.20130125105919.5407.1.1', '1.2.826.0.1.34471.2.44.6.20021122091000..1'];
/** The only label names the gateway's own metrics may carry (le: histogram buckets; worker_id: replica_info). */
const ALLOWED_LABELS = new Set(['protocol', 'state', 'stage', 'model', 'outcome', 'code', 'le', 'worker_id']);
/** prom-client's process/runtime metrics (prefixed like ours): their labels are Node's, not the messages'. */
const RUNTIME = /^ecg_gateway_(process_|nodejs_)/;

const inFlight = (m: PromExposition): number => ['received', 'decoded', 'scored'].reduce((n, state) => n + sumOf(m, 'ecg_gateway_queue_depth', { state }), 0);

describe('/metrics on a running gateway (real MLLP, C-STORE and STOW-RS peers, embedded FHIR)', () => {
  let gw: GatewayProcess;
  let before0: PromExposition;
  let settled: PromExposition;

  before(async () => {
    gw = await startGateway({ env: FAST_RETRY_ENV });
    before0 = await scrapeMetrics(gw.baseUrl);
    assert.equal(await sendHl7(gw, GOOD), 'AA');
    assert.equal(await sendHl7(gw, BAD), 'AE');
    assert.equal(await stow(gw, [DICOM_STOW]), 200);
    const stored = await storescu('127.0.0.1', gw.dicomPort, [DICOM_DIMSE], { calledAeTitle: 'ECGGW' });
    assert.equal(stored.files[0]?.status, 0x0000, stored.output.slice(-2000));
    // The gateway's own queue depth says when the pipeline is done: three ECGs delivered, none in flight.
    await waitFor(
      async () => {
        settled = await scrapeMetrics(gw.baseUrl);
        return inFlight(settled) === 0 && sumOf(settled, 'ecg_gateway_queue_depth', { state: 'delivered' }) === 3;
      },
      90_000,
      'three ECGs delivered',
      gw.logs,
    );
  });
  after(() => gw.stop());

  test('is open (no credentials) and parses as Prometheus text with a TYPE for every family', () => {
    // scrapeMetrics parsed it strictly: 200, text/plain version 0.0.4, every sample under a # TYPE.
    for (const [name, type] of [
      ['ecg_gateway_messages_received_total', 'counter'],
      ['ecg_gateway_messages_acknowledged_total', 'counter'],
      ['ecg_gateway_messages_refused_total', 'counter'],
      ['ecg_gateway_stage_duration_seconds', 'histogram'],
      ['ecg_gateway_model_runs_total', 'counter'],
      ['ecg_gateway_model_batched_items_total', 'counter'],
      ['ecg_gateway_model_run_seconds_total', 'counter'],
      ['ecg_gateway_model_largest_batch', 'gauge'],
      ['ecg_gateway_model_run_seconds', 'histogram'],
      ['ecg_gateway_model_batch_size', 'histogram'],
      ['ecg_gateway_replica_info', 'gauge'],
      ['ecg_gateway_claims_lost_total', 'counter'],
      ['ecg_gateway_queue_depth', 'gauge'],
      ['ecg_gateway_delivery_attempts_total', 'counter'],
      ['ecg_gateway_dead_letters_total', 'counter'],
    ] as const) {
      assert.equal(settled.types.get(name), type, name);
    }
  });

  test('received, acknowledged and refused move per protocol when ECGs are sent', () => {
    const delta = (name: string, where: Record<string, string>): number => sumOf(settled, name, where) - sumOf(before0, name, where);
    assert.equal(delta('ecg_gateway_messages_received_total', { protocol: 'mllp' }), 2);
    assert.equal(delta('ecg_gateway_messages_acknowledged_total', { protocol: 'mllp' }), 1);
    assert.equal(delta('ecg_gateway_messages_refused_total', { protocol: 'mllp' }), 1);
    const refused = settled.samples.filter((s) => s.name === 'ecg_gateway_messages_refused_total' && s.labels['protocol'] === 'mllp');
    assert.deepEqual(refused.map((s) => s.labels['code']), ['DECODE_REQUIRED_FIELD_MISSING']);
    assert.equal(delta('ecg_gateway_messages_acknowledged_total', { protocol: 'stow-rs' }), 1);
    assert.equal(delta('ecg_gateway_messages_acknowledged_total', { protocol: 'dimse' }), 1);
  });

  test('models report their runs and batch sizes, and the queue depth per state matches the inbox', async () => {
    const models = settled.samples.filter((s) => s.name === 'ecg_gateway_model_batched_items_total');
    assert.deepEqual(models.map((s) => s.labels['model']).sort(), ['contract-ecgfounder-cad', 'contract-vit-multitask']);
    for (const s of models) assert.ok(s.value >= 3, `${s.labels['model']}: ${s.value} ECGs scored`);
    assert.ok(sumOf(settled, 'ecg_gateway_model_run_seconds_total') > 0);
    for (const s of models) {
      const model = s.labels['model']!;
      // Warm-up runs bypass the batcher, so the histograms saw exactly the runs the counters count.
      assert.equal(sumOf(settled, 'ecg_gateway_model_batch_size_sum', { model }), s.value, `${model}: batch sizes add up to the ECGs scored`);
      assert.equal(sumOf(settled, 'ecg_gateway_model_batch_size_count', { model }), sumOf(settled, 'ecg_gateway_model_runs_total', { model }), `${model}: one observation per run`);
      assert.equal(sumOf(settled, 'ecg_gateway_model_run_seconds_count', { model }), sumOf(settled, 'ecg_gateway_model_runs_total', { model }));
      assert.equal(sumOf(settled, 'ecg_gateway_model_run_seconds_bucket', { model, le: '+Inf' }), sumOf(settled, 'ecg_gateway_model_runs_total', { model }));
    }
    const replicas = settled.samples.filter((s) => s.name === 'ecg_gateway_replica_info');
    assert.equal(replicas.length, 1, 'one replica_info series');
    assert.match(replicas[0]!.labels['worker_id'] ?? '', new RegExp(`:${gw.child.pid}:`), 'named by its pipeline worker id');
    assert.equal(sumOf(settled, 'ecg_gateway_queue_depth', { state: 'failed' }), 1, 'the refused HL7 message is kept as failed');
    const res = await fetch(`${gw.baseUrl}/api/messages?limit=500`, { headers: gw.authHeaders() });
    const inbox = (await res.json()) as { items: unknown[] };
    assert.equal(sumOf(settled, 'ecg_gateway_queue_depth'), inbox.items.length);
  });

  test('each stage run lands in the latency histogram, and each delivery attempt is counted', () => {
    assert.equal(sumOf(settled, 'ecg_gateway_stage_duration_seconds_count', { stage: 'score', outcome: 'scored' }), 3);
    assert.equal(sumOf(settled, 'ecg_gateway_stage_duration_seconds_count', { stage: 'deliver', outcome: 'delivered' }), 3);
    assert.equal(sumOf(settled, 'ecg_gateway_stage_duration_seconds_bucket', { stage: 'deliver', le: '+Inf' }), 3);
    assert.equal(sumOf(settled, 'ecg_gateway_delivery_attempts_total', { outcome: 'delivered' }), 3);
    assert.equal(sumOf(settled, 'ecg_gateway_dead_letters_total'), 0);
  });

  test('carry no patient data: only protocol, state, stage, model, outcome and code as labels, no identifier as a value', () => {
    for (const s of settled.samples.filter((x) => !RUNTIME.test(x.name))) {
      for (const [label, value] of Object.entries(s.labels)) {
        assert.ok(ALLOWED_LABELS.has(label), `${s.name} has label ${label}`);
        for (const id of IDENTIFIERS) assert.ok(!value.includes(id), `${s.name}{${label}} holds an identifier`);
      }
    }
  });
});

describe('/metrics counts a delivery retry and a dead letter (real FHIR server answering 503, then 400)', () => {
  let fhir: FhirServerProcess;
  let gw: GatewayProcess;
  before(async () => {
    fhir = await startFhirServer();
    // conditional-reference: the EHR knows no such patient, so it answers 400 and the message is dead.
    gw = await startGateway({ env: { ...FAST_RETRY_ENV, FHIR_BASE_URL: fhir.baseUrl, FHIR_PATIENT_REFERENCE: 'conditional-reference' } });
  });
  after(async () => {
    await gw?.stop();
    await fhir?.stop();
  });

  test('503 is a retry, the 400 after it a dead letter with its code', async () => {
    await fhir.fail(503, 1);
    assert.equal(await sendHl7(gw, withControlId(hl7Text(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7')), 'METRICS-DEAD-1')), 'AA');
    await waitForMessage(gw, 'METRICS-DEAD-1', (m) => m.state === 'dead', 'dead');
    const m = await scrapeMetrics(gw.baseUrl);
    assert.equal(sumOf(m, 'ecg_gateway_delivery_attempts_total', { outcome: 'retry' }), 1);
    assert.equal(sumOf(m, 'ecg_gateway_delivery_attempts_total', { outcome: 'dead' }), 1);
    assert.equal(sumOf(m, 'ecg_gateway_dead_letters_total', { stage: 'deliver', code: 'FHIR_REJECTED' }), 1);
    assert.equal(sumOf(m, 'ecg_gateway_stage_duration_seconds_count', { stage: 'deliver', outcome: 'dead' }), 1);
    assert.equal(sumOf(m, 'ecg_gateway_queue_depth', { state: 'dead' }), 1);
  });
});
