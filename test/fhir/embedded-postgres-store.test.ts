import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Bundle, Observation, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { Client } from 'pg';
import { PostgresFhirStore } from '../../src/fhir/embedded/postgres-fhir-store';
import { buildEcgBundle } from '../../src/fhir/mapping/build-ecg-bundle';
import { ecgKeyFor } from '../../src/fhir/mapping/resource-ids';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { FhirEngine, type FhirEngineResponse } from '../../src/fhir/server/fhir-engine';
import { JournaledRepository } from '../../src/fhir/server/journaled-repository';
import { createSchema, dropSchema, uniqueSchemaName, urlWithSchema } from '../store/postgres-test-schema';
import { fixtureEcg } from './fixture-ecg';
import { scoredResult } from './synthetic-results';

/**
 * The embedded /fhir store of replicas on PostgreSQL: two engines, each with its own store and
 * in-memory repository (as two gateway processes have), on one real schema.
 */

const mappings = loadFhirMappings();
const ECG_SYSTEM = mappings['identifier-systems'].ecg;
const PATIENT_SYSTEM = 'https://ecg-gateway.example.org/fhir/sid/patient/ECGTOOLKIT';
const record = fixtureEcg('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');

function ecgBundle(controlId: string): { bundle: Bundle; ecgKey: string } {
  const r = { ...record, order: { ...record.order, messageControlId: controlId } };
  const ecgKey = ecgKeyFor(r, { sha256: '0'.repeat(64) });
  const { bundle } = buildEcgBundle(
    { record: r, ecgKey, models: [scoredResult()], patientReference: 'conditional-create', sourceTimeZone: 'UTC', gatewayVersion: '0.1.0', recordedAt: '2024-03-05T10:00:00Z' },
    mappings,
  );
  return { bundle, ecgKey };
}

/** A transaction of one conditional create of a Patient (what every ECG bundle starts with). */
function patientTransaction(value: string, extra: Partial<Patient> = {}): Bundle {
  const identifier = { system: 'urn:test:patient', value };
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: `urn:uuid:00000000-0000-4000-8000-${value.padStart(12, '0').slice(-12)}`,
        resource: { resourceType: 'Patient', identifier: [identifier], ...extra },
        request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=urn:test:patient|${value}` },
      },
    ],
  };
}

const post = (engine: FhirEngine, body: unknown, path = '/'): Promise<FhirEngineResponse> => engine.handle({ method: 'POST', path, query: '', body });

async function search<T extends Resource = Resource>(engine: FhirEngine, type: string, query: string): Promise<T[]> {
  const res = await engine.handle({ method: 'GET', path: `/${type}`, query });
  assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
  return ((res.body as Bundle).entry ?? []).map((e) => e.resource as T);
}

const byIdentifier = <T extends Resource = Resource>(engine: FhirEngine, type: string, system: string, value: string): Promise<T[]> =>
  search<T>(engine, type, `identifier=${encodeURIComponent(system)}|${encodeURIComponent(value)}&_count=1000`);

describe('embedded /fhir on PostgreSQL: two engines on one schema', () => {
  const schema = uniqueSchemaName();
  const url = urlWithSchema(schema);
  const stores: PostgresFhirStore[] = [];
  let a: FhirEngine;
  let b: FhirEngine;
  let db: Client;

  async function engine(): Promise<FhirEngine> {
    const store = new PostgresFhirStore({ connectionString: url, lockTimeoutMs: 30_000 }, new JournaledRepository());
    stores.push(store);
    await store.open();
    return new FhirEngine(store.repository, { hook: store });
  }

  before(async () => {
    await createSchema(schema);
    // Both open at once: the migration runs once under its lock.
    [a, b] = await Promise.all([engine(), engine()]);
    db = new Client({ connectionString: url });
    await db.connect();
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await db?.end();
    await dropSchema(schema);
  });

  test('an ECG transaction written through one engine is read, searched and counted once through the other', async () => {
    const { bundle, ecgKey } = ecgBundle('PG-READ-1');
    const res = await post(a, bundle);
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    const [ecg] = await byIdentifier<Observation>(b, 'Observation', ECG_SYSTEM, ecgKey);
    assert.ok(ecg?.id, 'the ECG Observation is visible through the other engine');
    const read = await b.handle({ method: 'GET', path: `/Observation/${ecg.id}`, query: '' });
    assert.equal(read.status, 200);
    const subject = ecg.subject?.reference;
    assert.equal((await search(b, 'RiskAssessment', `patient=${subject}&_count=1000`)).length, 4);

    // The same bundle again through the other engine: conditional creates find everything (no copy).
    const again = await post(b, bundle);
    assert.equal(again.status, 200);
    assert.ok(((again.body as Bundle).entry ?? []).every((e) => e.response?.status === '200'), 'every entry found, none created');
    for (const e of [a, b]) {
      assert.equal((await byIdentifier(e, 'Observation', ECG_SYSTEM, ecgKey)).length, 1);
      assert.equal((await byIdentifier(e, 'Patient', PATIENT_SYSTEM, 'SBJ-123')).length, 1);
    }
  });

  test('concurrent conditional creates of the same identifiers through both engines leave exactly one of each', async () => {
    const values = Array.from({ length: 8 }, (_, i) => `RACE-${i}`);
    const results = await Promise.all(values.flatMap((v) => [post(a, patientTransaction(v)), post(b, patientTransaction(v))]));
    assert.deepEqual(results.map((r) => r.status), results.map(() => 200));
    // One engine created each Patient (201), the other found it (200).
    const statuses = results.map((r) => (r.body as Bundle).entry?.[0]?.response?.status);
    assert.equal(statuses.filter((s) => s === '201').length, values.length, statuses.join());
    for (const v of values) {
      for (const e of [a, b]) assert.equal((await byIdentifier(e, 'Patient', 'urn:test:patient', v)).length, 1, `${v}: one Patient`);
    }
    const rows = await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM fhir_resources WHERE resource_type = 'Patient' AND resource->'identifier'->0->>'value' LIKE 'RACE-%'`);
    assert.equal(rows.rows[0]?.n, values.length);

    // Two ECG bundles of the same patient at once: one Patient, both ECGs.
    const [x, y] = [ecgBundle('PG-RACE-1'), ecgBundle('PG-RACE-2')];
    const both = await Promise.all([post(a, x.bundle), post(b, y.bundle)]);
    assert.deepEqual(both.map((r) => r.status), [200, 200]);
    for (const e of [a, b]) {
      assert.equal((await byIdentifier(e, 'Patient', PATIENT_SYSTEM, 'SBJ-123')).length, 1);
      assert.equal((await byIdentifier(e, 'Observation', ECG_SYSTEM, x.ecgKey)).length, 1);
      assert.equal((await byIdentifier(e, 'Observation', ECG_SYSTEM, y.ecgKey)).length, 1);
    }
  });

  test('a transaction refused by the FHIR engine leaves nothing in either engine or the table', async () => {
    const { bundle, ecgKey } = ecgBundle('PG-REFUSED-1');
    // Two Devices with the gateway Device's identifier make its conditional create ambiguous (412)
    // after the Patient and the ECG Observation were created in memory.
    const device = bundle.entry!.find((e) => e.resource?.resourceType === 'Device')!.resource!;
    const ident = (device as { identifier: Array<{ system: string; value: string }> }).identifier[0]!;
    const before = await byIdentifier(a, 'Device', ident.system, ident.value);
    for (let i = before.length; i < 2; i++) assert.equal((await post(b, withoutId(device), '/Device')).status, 201);
    const seqBefore = await maxSeq(db);
    const res = await post(a, bundle);
    assert.equal(res.status, 412, JSON.stringify(res.body).slice(0, 300));
    for (const e of [a, b]) assert.equal((await byIdentifier(e, 'Observation', ECG_SYSTEM, ecgKey)).length, 0);
    assert.equal(await maxSeq(db), seqBefore, 'no row written');
  });

  test('a write whose PostgreSQL transaction fails is answered 500 and leaves nothing in either engine', async () => {
    const seed = await post(a, patientTransaction('PG-FAIL-1', { gender: 'male' }));
    assert.equal(seed.status, 200);
    const [patient] = await byIdentifier<Patient>(b, 'Patient', 'urn:test:patient', 'PG-FAIL-1');
    assert.ok(patient?.id);
    // The database refuses what the engine accepts: a constraint stands in for a failed commit.
    await db.query(`ALTER TABLE fhir_resources ADD CONSTRAINT test_refuse_unknown CHECK (resource->>'gender' IS DISTINCT FROM 'unknown')`);
    try {
      // A new Patient plus an update of the existing one, in one transaction: the update is refused.
      const tx: Bundle = patientTransaction('PG-FAIL-2', { gender: 'unknown' });
      tx.entry!.push({ resource: { ...patient, gender: 'unknown' }, request: { method: 'PUT', url: `Patient/${patient.id}` } });
      const res = await post(a, tx);
      assert.equal(res.status, 500);
      assert.equal((res.body as OperationOutcome).resourceType, 'OperationOutcome');
      for (const e of [a, b]) {
        assert.equal((await byIdentifier(e, 'Patient', 'urn:test:patient', 'PG-FAIL-2')).length, 0, 'the new Patient is not kept');
        const read = await e.handle({ method: 'GET', path: `/Patient/${patient.id}`, query: '' });
        assert.equal((read.body as Patient).gender, 'male', 'the updated Patient is back to its committed version');
      }
    } finally {
      await db.query('ALTER TABLE fhir_resources DROP CONSTRAINT test_refuse_unknown');
    }
    // The next write goes through.
    assert.equal((await post(b, patientTransaction('PG-FAIL-2', { gender: 'unknown' }))).status, 200);
    for (const e of [a, b]) assert.equal((await byIdentifier(e, 'Patient', 'urn:test:patient', 'PG-FAIL-2')).length, 1);
  });

  test('a write that waits longer than its lock timeout for another replica is answered 500 and keeps nothing', async () => {
    const impatient = new PostgresFhirStore({ connectionString: url, lockTimeoutMs: 100 }, new JournaledRepository());
    stores.push(impatient);
    await impatient.open();
    const c = new FhirEngine(impatient.repository, { hook: impatient });
    // Another "replica" holds the write lock in an open transaction.
    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock(${0x46484952}, 'fhir_resources'::regclass::oid::int)`);
      const res = await post(c, patientTransaction('PG-LOCKED-1'));
      assert.equal(res.status, 500, JSON.stringify(res.body).slice(0, 300));
      assert.match(JSON.stringify(res.body), /lock timeout/);
      assert.equal((await byIdentifier(c, 'Patient', 'urn:test:patient', 'PG-LOCKED-1')).length, 0);
      await holder.query('ROLLBACK');
    } finally {
      await holder.end();
    }
    assert.equal((await post(c, patientTransaction('PG-LOCKED-1'))).status, 200, 'once the lock is free the write goes through');
    for (const e of [a, b, c]) assert.equal((await byIdentifier(e, 'Patient', 'urn:test:patient', 'PG-LOCKED-1')).length, 1);
  });

  test('a deletion through one engine is seen by the other (tombstone) and by a newly opened one', async () => {
    assert.equal((await post(a, patientTransaction('PG-DEL-1'))).status, 200);
    const [p] = await byIdentifier(b, 'Patient', 'urn:test:patient', 'PG-DEL-1');
    assert.ok(p?.id);
    const del = await b.handle({ method: 'DELETE', path: `/Patient/${p.id}`, query: '' });
    assert.ok(del.status < 300, String(del.status));
    assert.equal((await byIdentifier(a, 'Patient', 'urn:test:patient', 'PG-DEL-1')).length, 0);
    assert.equal((await a.handle({ method: 'GET', path: `/Patient/${p.id}`, query: '' })).status, 404);

    const c = await engine();
    assert.equal((await byIdentifier(c, 'Patient', 'urn:test:patient', 'PG-DEL-1')).length, 0);
    assert.equal((await byIdentifier(c, 'Patient', PATIENT_SYSTEM, 'SBJ-123')).length, 1, 'a new engine loads what is there');
  });
});

async function maxSeq(db: Client): Promise<string> {
  return (await db.query<{ s: string }>('SELECT COALESCE(MAX(seq), 0)::text AS s FROM fhir_resources')).rows[0]!.s;
}

function withoutId(resource: Resource): Resource {
  const { id: _id, ...rest } = resource;
  return rest as Resource;
}
