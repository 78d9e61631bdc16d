import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { SqliteFhirStore } from '../../src/fhir/embedded/sqlite-fhir-store';
import { FhirEngine } from '../../src/fhir/server/fhir-engine';
import { JournaledRepository } from '../../src/fhir/server/journaled-repository';

/** The embedded /fhir of one gateway (no DATABASE_URL): DATA_DIR/fhir.sqlite behind the engine's hook. */

async function open(file: string): Promise<{ store: SqliteFhirStore; engine: FhirEngine }> {
  const store = new SqliteFhirStore(file, new JournaledRepository());
  await store.open();
  return { store, engine: new FhirEngine(store.repository, { hook: store }) };
}

const patient = (value: string, gender: NonNullable<Patient['gender']>): Patient => ({ resourceType: 'Patient', identifier: [{ system: 'urn:test:patient', value }], gender });

async function patients(engine: FhirEngine, value: string): Promise<Patient[]> {
  const res = await engine.handle({ method: 'GET', path: '/Patient', query: `identifier=urn:test:patient|${value}` });
  assert.equal(res.status, 200);
  return ((res.body as Bundle).entry ?? []).map((e) => e.resource as Patient);
}

test('resources written through the engine are in the file and loaded back by the next start', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-fhir-sqlite-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'fhir.sqlite');
  const first = await open(file);
  const created = await first.engine.handle({ method: 'POST', path: '/Patient', query: '', body: patient('SQ-1', 'male') });
  assert.equal(created.status, 201);
  assert.equal(await first.store.count(), 1);
  await first.store.close();

  const second = await open(file);
  t.after(() => second.store.close());
  const [p] = await patients(second.engine, 'SQ-1');
  assert.equal(p?.id, (created.body as Patient).id);
  assert.equal(p?.meta?.versionId, (created.body as Patient).meta?.versionId, 'the same version, not a new one');
});

test('a write the file refuses is answered 500, and memory keeps the committed version', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-fhir-sqlite-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'fhir.sqlite');
  const { store, engine } = await open(file);
  t.after(() => store.close());
  const created = (await engine.handle({ method: 'POST', path: '/Patient', query: '', body: patient('SQ-2', 'male') })).body as Patient;

  // A trigger in the real file stands in for a failed disk write.
  const db = new Database(file);
  t.after(() => db.close());
  for (const op of ['INSERT', 'UPDATE']) {
    db.exec(`CREATE TRIGGER refuse_${op.toLowerCase()} BEFORE ${op} ON fhir_resources
             WHEN json_extract(NEW.json, '$.gender') = 'unknown' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
  }
  const tx: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { resource: patient('SQ-3', 'unknown'), request: { method: 'POST', url: 'Patient' } },
      { resource: { ...created, gender: 'unknown' }, request: { method: 'PUT', url: `Patient/${created.id}` } },
    ],
  };
  const res = await engine.handle({ method: 'POST', path: '/', query: '', body: tx });
  assert.equal(res.status, 500);
  assert.deepEqual(await patients(engine, 'SQ-3'), [], 'the new Patient is not kept');
  const read = await engine.handle({ method: 'GET', path: `/Patient/${created.id}`, query: '' });
  assert.equal((read.body as Patient).gender, 'male', 'the update is undone, not the resource deleted');
  assert.equal(await store.count(), 1);
});
