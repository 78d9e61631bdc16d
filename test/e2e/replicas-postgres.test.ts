import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { startFhirServer, type FhirServerProcess } from '../helpers/fhir-server-process';
import { deliveryAttempts, FAST_RETRY_ENV, hl7Text, isDelivered, sendHl7, waitForMessage } from '../helpers/fhir-server-e2e';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { withControlId } from '../helpers/hl7-messages';
import { allMessages, type ApiMessage } from '../helpers/messages-api';
import { fixture } from '../helpers/paths';
import { createSchema, dropSchema, uniqueSchemaName, urlWithSchema } from '../store/postgres-test-schema';

/**
 * Two gateway processes on one PostgreSQL schema share the inbox, the pipeline and the delivery
 * queue (issue 9): every ECG is delivered once, and a replica killed mid-delivery hands its claim
 * on when the lease runs out. One external FHIR server process; counting by identifier proves
 * there is no second copy.
 */

const systems = loadFhirMappings()['identifier-systems'];
const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const LEASE_MS = 6_000;
/** Generous: the lease is renewed while a delivery runs, so a slow (loaded) EHR answer is not a takeover. */
const FHIR_TIMEOUT_MS = 10_000;
/** How long the FHIR server holds the delivery in which its holder is killed; shorter than the lease. */
const HOLD_MS = 2_000;

const REPLICA_ENV: Record<string, string> = {
  ...FAST_RETRY_ENV,
  PIPELINE_LEASE_MS: String(LEASE_MS),
  FHIR_TIMEOUT_MS: String(FHIR_TIMEOUT_MS),
  DELIVERY_BACKOFF_BASE_MS: '100',
  DELIVERY_BACKOFF_MAX_MS: '500',
};

const ecgKey = (controlId: string): string => `hl7:ECGCART/CARDIOLOGY/${controlId}`;
/** The API's timeline events carry `at` (ISO time); ApiMessage leaves it out. */
const eventAt = (e: object | undefined): number => Date.parse(String((e as { at?: unknown } | undefined)?.at));
const deliveredEvents = (m: ApiMessage): number => (m.timeline ?? []).filter((e) => e.state === 'delivered').length;

describe('two replicas on one PostgreSQL (real gateways, FHIR server process)', () => {
  const schema = uniqueSchemaName();
  let fhir: FhirServerProcess;
  let db: Client;
  const replicas: GatewayProcess[] = [];

  before(async () => {
    await createSchema(schema);
    const url = urlWithSchema(schema);
    fhir = await startFhirServer();
    const env = { ...REPLICA_ENV, DATABASE_URL: url, FHIR_BASE_URL: fhir.baseUrl };
    // One after the other: the first runs the migrations, the second finds them done.
    replicas.push(await startGateway({ env }));
    replicas.push(await startGateway({ env }));
    db = new Client({ connectionString: url });
    await db.connect();
  });
  after(async () => {
    await Promise.all(replicas.map((r) => r.stop('SIGKILL')));
    await fhir?.stop();
    await db?.end();
    await dropSchema(schema);
  });

  test('ECGs sent to both replicas are each delivered exactly once, one ECG Observation each', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `REP-${i + 1}`);
    const base = hl7Text(MA);
    const acks = await Promise.all(ids.map((id, i) => sendHl7(replicas[i % 2]!, withControlId(base, id))));
    assert.deepEqual(acks, ids.map(() => 'AA'));

    for (const id of ids) {
      const m = await waitForMessage(replicas[0]!, id, isDelivered, 'delivered by one of the replicas');
      assert.equal(deliveredEvents(m), 1, `${id}: one delivered event`);
      assert.equal(deliveryAttempts(m).length, 1, `${id}: one delivery attempt`);
    }
    // Both replicas list the same one row per ECG: the inbox is shared.
    for (const gw of replicas) {
      const rows = (await allMessages(gw.baseUrl)).filter((m) => ids.includes(m.sourceId ?? ''));
      assert.deepEqual(rows.map((m) => m.sourceId).sort(), [...ids].sort());
    }
    for (const id of ids) assert.equal(await fhir.countByIdentifier('Observation', systems.ecg, ecgKey(id)), 1, `${id}: one ECG Observation`);
  });

  test('a replica killed mid-delivery hands the ECG on after its lease; the other delivers it once', async () => {
    const id = 'REP-KILL-1';
    const postsBefore = (await fhir.stats()).posts;
    // The next transaction is held: the replica delivering it is stuck in the POST when killed.
    await fhir.delay(HOLD_MS, 1);
    assert.equal(await sendHl7(replicas[0]!, withControlId(hl7Text(MA), id)), 'AA');
    await waitFor(async () => (await fhir.stats()).posts > postsBefore, 60_000, 'the FHIR server to receive the delivery', replicas[0]!.logs);

    const claim = (await db.query<{ state: string; claimed_by: string | null }>('SELECT state, claimed_by FROM messages WHERE source_id = $1', [id])).rows;
    assert.equal(claim.length, 1);
    assert.equal(claim[0]!.state, 'scored', 'still in delivery: the holder has not timed out');
    const holder = replicas.find((r) => claim[0]!.claimed_by?.includes(`:${r.child.pid}:`));
    assert.ok(holder, `the claim (${claim[0]!.claimed_by}) belongs to one of the replicas`);
    const survivor = replicas.find((r) => r !== holder)!;
    await holder.stop('SIGKILL');

    const m = await waitForMessage(survivor, id, isDelivered, 'delivered by the surviving replica after the lease', 60_000);
    const events = (m.timeline ?? []).map((e) => e.event);
    const takeover = (m.timeline ?? []).find((e) => e.event === 'lease-expired');
    assert.ok(takeover, `a lease-expired event: ${events.join(' → ')}`);
    assert.match(String(takeover.detail?.['previousWorker']), new RegExp(`:${holder.child.pid}:`), 'the dead replica is named');
    assert.equal(takeover.state, 'scored');
    const attempts = deliveryAttempts(m);
    assert.equal(attempts.length, 1, 'the dead replica wrote no attempt; the survivor one');
    assert.equal(attempts[0]!['state'], 'delivered');
    assert.equal(deliveredEvents(m), 1);
    const leaseAt = eventAt(takeover);
    const deliveredAt = eventAt((m.timeline ?? []).find((e) => e.state === 'delivered'));
    assert.ok(deliveredAt >= leaseAt, 'delivered after the takeover');

    // The held request from the dead replica has long been answered (HOLD_MS < lease) or dropped;
    // either way the conditional creates leave one copy.
    assert.equal(await fhir.countByIdentifier('Observation', systems.ecg, ecgKey(id)), 1);
    assert.equal((await fhir.stats()).pendingFaults, 0);
  });

  test('a replica killed mid-delivery after an EHR retry also hands the ECG on, with the takeover on the timeline', async () => {
    // A replacement replica joins the one that survived.
    replicas.push(await startGateway({ env: { ...REPLICA_ENV, DATABASE_URL: urlWithSchema(schema), FHIR_BASE_URL: fhir.baseUrl } }));
    const live = replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
    assert.equal(live.length, 2);
    const id = 'REP-KILL-2';
    const postsBefore = (await fhir.stats()).posts;
    // First attempt: 503, retried with backoff; the retry is held while its holder is killed.
    await fhir.fail(503, 1);
    await fhir.delay(HOLD_MS, 1);
    assert.equal(await sendHl7(live[0]!, withControlId(hl7Text(MA), id)), 'AA');
    await waitFor(async () => (await fhir.stats()).posts > postsBefore + 1, 60_000, 'the FHIR server to receive the retried delivery', live[0]!.logs);

    const claim = (await db.query<{ state: string; claimed_by: string | null }>('SELECT state, claimed_by FROM messages WHERE source_id = $1', [id])).rows;
    assert.equal(claim[0]?.state, 'scored');
    const holder = live.find((r) => claim[0]!.claimed_by?.includes(`:${r.child.pid}:`));
    assert.ok(holder, `the claim (${claim[0]!.claimed_by}) belongs to a live replica`);
    const survivor = live.find((r) => r !== holder)!;
    await holder.stop('SIGKILL');

    const m = await waitForMessage(survivor, id, isDelivered, 'delivered by the surviving replica after the lease', 60_000);
    const events = (m.timeline ?? []).map((e) => e.event);
    const takeover = (m.timeline ?? []).find((e) => e.event === 'lease-expired');
    assert.ok(takeover, `a lease-expired event: ${events.join(' → ')}`);
    assert.match(String(takeover.detail?.['previousWorker']), new RegExp(`:${holder.child.pid}:`));
    // The 503 attempt, then the survivor's one delivery; the killed holder wrote none.
    assert.deepEqual(deliveryAttempts(m).map((a) => [a['state'], a['status']]), [['scored', 503], ['delivered', 200]]);
    assert.equal(deliveredEvents(m), 1);
    assert.equal(await fhir.countByIdentifier('Observation', systems.ecg, ecgKey(id)), 1);
  });
});
