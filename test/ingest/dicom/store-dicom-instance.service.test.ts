import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { GatewayMetrics } from '../../../src/metrics/gateway-metrics';
import { errorToStoreStatus } from '../../../src/ingest/dicom/error-to-status';
import { StoreDicomInstanceService, type DicomInstanceInput } from '../../../src/ingest/dicom/store-dicom-instance.service';
import { DecodePool } from '../../../src/pipeline/decode-pool';
import { SqliteMessageStore } from '../../../src/store/sqlite/sqlite-message-store';
import { fixture } from '../../helpers/paths';

// A "medium" test: the use case on the real SQLite adapter in a temp folder and a real decode pool, no doubles.
async function open(t: TestContext): Promise<{ store: SqliteMessageStore; service: StoreDicomInstanceService }> {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-dicom-svc-'));
  const store = new SqliteMessageStore({ file: join(dir, 'test.sqlite') });
  await store.migrate();
  const pool = new DecodePool(1);
  t.after(async () => {
    await pool.onApplicationShutdown();
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, service: new StoreDicomInstanceService(store, pool, new GatewayMetrics(store)) };
}

const ECG = readFileSync(fixture('dicom', 'waveform_ecg.dcm'));
const TWELVE_LEAD = '1.2.840.10008.5.1.4.1.1.9.1.1';
const ECG_INSTANCE = '1.3.6.1.4.1.20029.40.20130125105919.5407.1.1';

function input(file: Uint8Array, expected: DicomInstanceInput['expected'] = {}): DicomInstanceInput {
  return { protocol: 'dimse', peer: { callingAeTitle: 'CART01', address: '127.0.0.1' }, file, expected, receivedAt: new Date('2024-03-05T10:00:00Z') };
}

test('commits a readable ECG as decoded, with its summary and the SOP Instance UID as dedup key; the same bytes again are a repeat', async (t) => {
  const { store, service } = await open(t);
  const first = await service.store(input(ECG, { sopClassUid: TWELVE_LEAD, sopInstanceUid: ECG_INSTANCE }));
  assert.ok(first.stored);
  assert.equal(first.outcome.disposition, 'new');
  const row = await store.get(first.outcome.id);
  assert.equal(row?.state, 'decoded', 'decoded at ingest: the pipeline does not decode it again');
  assert.equal((row?.summary as { format?: string } | undefined)?.format, 'dicom');
  assert.equal(row?.dedupKey, `dicom:${ECG_INSTANCE}`);
  assert.equal(row?.contentType, 'application/dicom');
  assert.equal(row?.peer.callingAeTitle, 'CART01');
  assert.ok(Buffer.from((await store.getRaw(first.outcome.id))!).equals(ECG));
  const again = await service.store(input(ECG));
  assert.ok(again.stored);
  assert.equal(again.outcome.disposition, 'repeat');
  assert.equal(again.outcome.id, first.outcome.id);
});

test('bytes that are not DICOM are refused with C000 and kept as failed for analysts', async (t) => {
  const { store, service } = await open(t);
  const r = await service.store(input(Buffer.from('this is not a DICOM file at all')));
  assert.equal(r.stored, false);
  assert.ok(!r.stored && r.refusedAs !== undefined);
  assert.equal(errorToStoreStatus(r.error).status, 0xc000);
  const row = await store.get(r.refusedAs);
  assert.equal(row?.state, 'failed');
  assert.equal(row?.lastError?.code, 'DECODE_MALFORMED');
});

test('a dataset whose SOP Class UID differs from the Affected SOP Class UID gets A900', async (t) => {
  const { service } = await open(t);
  const r = await service.store(input(ECG, { sopClassUid: '1.2.840.10008.5.1.4.1.1.9.1.2' }));
  assert.ok(!r.stored);
  assert.equal(r.error.code, 'INGEST_DATASET_MISMATCH');
  assert.equal(errorToStoreStatus(r.error).status, 0xa900);
});

test('an instance outside the STOW-RS path study gets A900 and is kept as failed', async (t) => {
  const { store, service } = await open(t);
  const r = await service.store({ ...input(ECG, { studyInstanceUid: '1.2.3.4' }), protocol: 'stow-rs' });
  assert.ok(!r.stored);
  assert.equal(r.error.field, 'StudyInstanceUID (0020,000D)');
  assert.equal(errorToStoreStatus(r.error).status, 0xa900);
  assert.equal((await store.get(r.refusedAs!))?.state, 'failed');
});

test('a non-ECG SOP class (the CT negative) gets 0122 and is not kept', async (t) => {
  const { store, service } = await open(t);
  const r = await service.store(input(readFileSync(fixture('dicom', 'negative', 'CT_small.dcm'))));
  assert.ok(!r.stored);
  assert.equal(errorToStoreStatus(r.error).status, 0x0122);
  assert.equal(r.refusedAs, undefined);
  assert.equal((await store.list({ limit: 10 })).items.length, 0);
});

test('when the store cannot commit the answer is A700, never success', async (t) => {
  const { store, service } = await open(t);
  await store.close();
  const r = await service.store(input(ECG));
  assert.equal(r.stored, false);
  assert.ok(!r.stored);
  assert.equal(r.error.code, 'STORE_UNAVAILABLE');
  assert.equal(errorToStoreStatus(r.error).status, 0xa700);
});
