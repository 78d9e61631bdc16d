import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { startFhirServer, type FhirServerProcess } from '../helpers/fhir-server-process';
import { FAST_RETRY_ENV, hl7Text, sendHl7 } from '../helpers/fhir-server-e2e';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { withControlId } from '../helpers/hl7-messages';
import { BUILD_ROOT, fixture, REPO_ROOT } from '../helpers/paths';
import { scrapeMetrics, sumOf } from '../helpers/prometheus-text';
import { createSchema, dropSchema, uniqueSchemaName, urlWithSchema } from '../store/postgres-test-schema';

/**
 * A delivery that takes longer than the lease (issue 9): the worker renews its claim while the
 * EHR is slow, so the other replica on the same PostgreSQL schema never takes it over and the
 * ECG is posted and written once. Real gateways, a real FHIR server process, real PostgreSQL.
 */

const systems = loadFhirMappings()['identifier-systems'];
const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const LEASE_MS = 2_000;
/** The EHR answers the delivery after two and a half leases. */
const EHR_DELAY_MS = 5_000;

const REPLICA_ENV: Record<string, string> = {
  ...FAST_RETRY_ENV,
  PIPELINE_LEASE_MS: String(LEASE_MS),
  // Refused at start before renewal existed (5 × FHIR_TIMEOUT_MS had to stay below the lease).
  FHIR_TIMEOUT_MS: '15000',
};

describe('lease renewal: a delivery slower than the lease, two replicas on one PostgreSQL', () => {
  const schema = uniqueSchemaName();
  let fhir: FhirServerProcess;
  let db: Client;
  const replicas: GatewayProcess[] = [];

  before(async () => {
    await createSchema(schema);
    fhir = await startFhirServer();
    const env = { ...REPLICA_ENV, DATABASE_URL: urlWithSchema(schema), FHIR_BASE_URL: fhir.baseUrl };
    replicas.push(await startGateway({ env }));
    replicas.push(await startGateway({ env }));
    db = new Client({ connectionString: urlWithSchema(schema) });
    await db.connect();
  });
  after(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await fhir?.stop();
    await db?.end();
    await dropSchema(schema);
  });

  test('the holder renews its claim through a slow delivery: one POST, one copy, no takeover, no claim lost', async () => {
    const id = 'LEASE-SLOW-1';
    const postsBefore = (await fhir.stats()).posts;
    await fhir.delay(EHR_DELAY_MS, 1);
    assert.equal(await sendHl7(replicas[0]!, withControlId(hl7Text(MA), id)), 'AA');
    await waitFor(
      async () => (await db.query<{ state: string }>('SELECT state FROM messages WHERE source_id = $1', [id])).rows[0]?.state === 'delivered',
      90_000,
      `${id} delivered`,
      () => replicas.map((r) => r.logs()).join('\n'),
    );

    const events = (
      await db.query<{ event: string; detail: Record<string, unknown> | null }>(
        'SELECT t.event, t.detail FROM message_timeline t JOIN messages m ON m.id = t.message_id WHERE m.source_id = $1 ORDER BY t.seq',
        [id],
      )
    ).rows;
    const names = events.map((e) => e.event);
    assert.ok(!names.includes('lease-expired'), `no takeover: ${names.join(' → ')}`);
    const attempts = events.filter((e) => e.event === 'delivery-attempt');
    assert.equal(attempts.length, 1, 'one delivery attempt');
    assert.ok(Number(attempts[0]!.detail?.['durationMs']) >= LEASE_MS, `the delivery outlasted the lease (${String(attempts[0]!.detail?.['durationMs'])} ms)`);

    assert.equal((await fhir.stats()).posts - postsBefore, 1, 'the EHR got one transaction');
    assert.equal(await fhir.countByIdentifier('Observation', systems.ecg, `hl7:ECGCART/CARDIOLOGY/${id}`), 1);
    let attemptsCounted = 0;
    for (const r of replicas) {
      assert.doesNotMatch(r.logs(), /claim lost/, 'neither replica lost a claim');
      const m = await scrapeMetrics(r.baseUrl);
      assert.equal(sumOf(m, 'ecg_gateway_claims_lost_total'), 0);
      attemptsCounted += sumOf(m, 'ecg_gateway_delivery_attempts_total');
    }
    assert.equal(attemptsCounted, 1, 'one delivery attempt over both replicas');
  });
});

describe('lease settings at start', () => {
  test('a lease that does not cover three renewal intervals is refused with CONFIG_INVALID', (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ecggw-lease-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const r = spawnSync(process.execPath, [join(BUILD_ROOT, 'src', 'cli', 'main.js'), 'serve'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        DATA_DIR: dataDir,
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        MLLP_PORT: '0',
        DICOM_PORT: '0',
        PIPELINE_LEASE_MS: '2000',
        PIPELINE_LEASE_RENEW_MS: '1000',
      },
      encoding: 'utf8',
      // A gateway that starts regardless would serve forever: stop it, and the assertions below fail.
      timeout: 60_000,
    });
    assert.notEqual(r.status, 0, `refused at start (status ${r.status}, signal ${r.signal})`);
    assert.match(r.stderr, /CONFIG_INVALID PIPELINE_LEASE_RENEW_MS/);
    assert.match(r.stderr, /must not exceed PIPELINE_LEASE_MS/);
  });
});
