import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { parseDicom } from 'dicom-parser';
import { echoscu, runDcmtk, storescu } from '../helpers/dcmtk';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { getMessage, reachedDecoded } from '../helpers/messages-api';
import { fixtureFiles } from '../helpers/paths';

interface Item {
  id: string;
  state: string;
  sourceId?: string;
  repeats: number;
  attempts: number;
  protocol: string;
  versionOf?: string;
  lastError?: { code: string; field?: string };
}

const ECG_FILES = fixtureFiles('dicom', (n) => n.endsWith('.dcm'));
const NEGATIVE_FILES = fixtureFiles('dicom/negative', (n) => n.endsWith('.dcm'));

async function dimseMessages(gw: GatewayProcess): Promise<Item[]> {
  const res = await fetch(`${gw.baseUrl}/api/messages?protocol=dimse&limit=500`, { headers: gw.authHeaders() });
  assert.equal(res.status, 200);
  return ((await res.json()) as { items: Item[] }).items;
}

/** Decoded (its state may already be past `decoded`: score and deliver follow), read from the timeline. */
async function wasDecoded(gw: GatewayProcess, id: string): Promise<boolean> {
  return reachedDecoded(await getMessage(gw.baseUrl, id));
}

async function allDecoded(gw: GatewayProcess, items: readonly Item[]): Promise<boolean> {
  return (await Promise.all(items.map((m) => wasDecoded(gw, m.id)))).every(Boolean);
}

async function rawOf(gw: GatewayProcess, id: string): Promise<Buffer> {
  const res = await fetch(`${gw.baseUrl}/api/messages/${id}?raw=1`, { headers: gw.authHeaders() });
  assert.equal(res.status, 200);
  return Buffer.from(((await res.json()) as { raw: string }).raw, 'base64');
}

function sopInstanceUid(file: string): string {
  return parseDicom(readFileSync(file)).string('x00080018')!.replace(/\0/g, '').trim();
}

/** The dataset after the File Meta group (PS3.10 §7.1: group length at offset 140). */
function datasetBytes(file: Buffer): Buffer {
  return file.subarray(144 + file.readUInt32LE(140));
}

/** dcmdump of the dataset: every element with its VR and value; how lengths were encoded is ignored. */
async function dumpDataset(bytes: Buffer, dir: string, name: string): Promise<string[]> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const r = await runDcmtk('dcmdump', ['+L', path]);
  assert.equal(r.code, 0, r.output);
  const lines = r.output.split('\n');
  return lines
    .slice(lines.findIndex((l) => l.startsWith('# Dicom-Data-Set')) + 1)
    .filter((l) => !/^\s*\([0-9a-f]{4},0000\)/.test(l) && !/^# Used TransferSyntax/.test(l))
    .map((l) => l.replace(/#.*$/, '').replace(/with (explicit|undefined) length/, '').replace(/ for re-encod\w*\.?/, '').trimEnd());
}

test('DIMSE: C-ECHO, every ECG fixture stored and decoded, negatives refused, resend is a repeat', async (t) => {
  const gw = await startGateway();
  t.after(() => gw.stop());
  const work = mkdtempSync(join(tmpdir(), 'ecggw-dimse-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));

  await t.test('echoscu succeeds against the configured AE title', async () => {
    const r = await echoscu('127.0.0.1', gw.dicomPort, { calledAeTitle: 'ECGGW' });
    assert.equal(r.code, 0, r.output);
  });

  await t.test('an association to another called AE title is rejected with reason 7', async () => {
    const r = await echoscu('127.0.0.1', gw.dicomPort, { calledAeTitle: 'NOT-ECGGW' });
    assert.notEqual(r.code, 0);
    assert.match(r.rejected?.reason ?? '', /Called AE Title Not Recognized/);
  });

  await t.test('storescu of every DICOM ECG fixture gets status 0000 and each reaches decoded', async () => {
    const r = await storescu('127.0.0.1', gw.dicomPort, ECG_FILES, { calledAeTitle: 'ECGGW' });
    assert.deepEqual(r.files.map((f) => [basename(f.file), f.status]), ECG_FILES.map((f) => [basename(f), 0x0000]), r.output.slice(-3000));
    const items = await dimseMessages(gw);
    assert.equal(items.length, ECG_FILES.length);
    await waitFor(() => allDecoded(gw, items), 30_000, 'every DIMSE message decoded', gw.logs);
    for (const f of ECG_FILES) assert.ok(items.some((m) => m.sourceId === sopInstanceUid(f)), basename(f));
  });

  await t.test('the stored file keeps every attribute the peer sent, bytes as received', async () => {
    const items = await dimseMessages(gw);
    for (const f of ECG_FILES) {
      const original = readFileSync(f);
      const candidates = items.filter((m) => m.sourceId === sopInstanceUid(f));
      const dumps = await Promise.all(candidates.map(async (m) => dumpDataset(datasetBytes(await rawOf(gw, m.id)), work, `${m.id}.dcm`)));
      const expected = await dumpDataset(original, work, `orig-${basename(f)}`);
      assert.ok(dumps.some((d) => JSON.stringify(d) === JSON.stringify(expected)), `${basename(f)}: no stored version has the same attributes`);
    }
    // An Implicit VR LE file goes over the wire unchanged: the stored dataset is byte-identical.
    const implicit = ECG_FILES.find((f) => basename(f) === 'ecgtoolkit_Example.dcm')!;
    const row = items.find((m) => m.sourceId === sopInstanceUid(implicit))!;
    assert.ok(datasetBytes(await rawOf(gw, row.id)).equals(datasetBytes(readFileSync(implicit))));
  });

  await t.test('a deflated dataset is accepted in Deflated Explicit VR LE and stored deflated', async () => {
    const dfl = ECG_FILES.find((f) => basename(f) === 'wave_dfl.dcm')!;
    const before = new Set((await dimseMessages(gw)).map((m) => m.id));
    const r = await storescu('127.0.0.1', gw.dicomPort, [dfl], { calledAeTitle: 'ECGGW', proposeDeflated: true });
    assert.equal(r.files[0]?.status, 0x0000, r.output.slice(-2000));
    const added = (await dimseMessages(gw)).filter((m) => !before.has(m.id));
    assert.equal(added.length, 1);
    const stored = await rawOf(gw, added[0]!.id);
    assert.equal(parseDicom(stored, { untilTag: 'x00020010' }).string('x00020010'), '1.2.840.10008.1.2.1.99');
    // storescu re-deflates what it sends, so compare attributes, not compressed bytes.
    assert.deepEqual(await dumpDataset(stored, work, 'stored-dfl.dcm'), await dumpDataset(readFileSync(dfl), work, 'orig-dfl.dcm'));
    await waitFor(() => wasDecoded(gw, added[0]!.id), 30_000, 'deflated message decoded', gw.logs);
  });

  await t.test('the CT and PDF negatives are refused at association and nothing is stored', async () => {
    const before = await dimseMessages(gw);
    const r = await storescu('127.0.0.1', gw.dicomPort, NEGATIVE_FILES, { calledAeTitle: 'ECGGW' });
    assert.equal(r.files.length, NEGATIVE_FILES.length);
    for (const f of r.files) {
      assert.equal(f.noPresentationContext, true, `${basename(f.file)} should find no presentation context`);
      assert.equal(f.status, undefined);
    }
    const after = await dimseMessages(gw);
    assert.equal(after.length, before.length);
    for (const f of NEGATIVE_FILES) assert.ok(!after.some((m) => m.sourceId === sopInstanceUid(f)));
  });

  await t.test('re-sending every fixture is acknowledged as a repeat and decoded no second time', async () => {
    const before = await dimseMessages(gw);
    const r = await storescu('127.0.0.1', gw.dicomPort, ECG_FILES, { calledAeTitle: 'ECGGW' });
    assert.ok(r.files.length === ECG_FILES.length && r.files.every((f) => f.status === 0x0000), r.output.slice(-2000));
    // Barrier: a fresh instance sent after the repeats; the pipeline takes the oldest work first,
    // so once it is decoded any re-processing of the repeats would already have happened.
    const fresh = join(work, 'fresh.dcm');
    copyFileSync(ECG_FILES[0]!, fresh);
    assert.equal((await runDcmtk('dcmodify', ['-nb', '-m', '(0008,0018)=1.2.826.0.1.3680043.8.498.2', fresh])).code, 0);
    assert.equal((await storescu('127.0.0.1', gw.dicomPort, [fresh], { calledAeTitle: 'ECGGW' })).files[0]?.status, 0x0000);
    await waitFor(async () => {
      const barrier = (await dimseMessages(gw)).find((m) => m.sourceId === '1.2.826.0.1.3680043.8.498.2');
      return barrier !== undefined && (await wasDecoded(gw, barrier.id));
    }, 30_000, 'barrier decoded', gw.logs);

    const after = await dimseMessages(gw);
    assert.equal(after.length, before.length + 1, 'the re-sent files created no message');
    const resent = after.filter((m) => ECG_FILES.some((f) => sopInstanceUid(f) === m.sourceId) && before.some((b) => b.id === m.id));
    assert.equal(resent.reduce((n, m) => n + m.repeats, 0), ECG_FILES.length, 'one repeat recorded per re-sent file');
    for (const m of resent) {
      const detail = await getMessage(gw.baseUrl, m.id);
      assert.ok(reachedDecoded(detail));
      assert.ok(detail.timeline);
      assert.equal(detail.timeline.filter((e) => e.event === 'decode').length, 1, `${m.id} decoded once`);
      assert.equal(detail.timeline.filter((e) => e.event === 'repeat').length, m.repeats, `${m.id} repeats on the timeline`);
    }
  });

  await t.test('an ECG-class dataset without a waveform gets A900, kept as failed, never decoded', async () => {
    const file = join(work, 'no-waveform.dcm');
    copyFileSync(ECG_FILES.find((f) => basename(f) === 'waveform_ecg.dcm')!, file);
    const edit = await runDcmtk('dcmodify', ['-nb', '-e', '(5400,0100)', '-m', '(0008,0018)=1.2.826.0.1.3680043.8.498.1', file]);
    assert.equal(edit.code, 0, edit.output);
    const r = await storescu('127.0.0.1', gw.dicomPort, [file], { calledAeTitle: 'ECGGW' });
    assert.equal(r.files[0]?.status, 0xa900, r.output.slice(-2000));
    assert.match(r.files[0]?.errorComment ?? '', /^DECODE_\w+ /);
    assert.ok((r.files[0]?.errorComment ?? '').length <= 64);
    const row = (await dimseMessages(gw)).find((m) => m.sourceId === '1.2.826.0.1.3680043.8.498.1');
    assert.equal(row?.state, 'failed');
    assert.match(row?.lastError?.code ?? '', /^DECODE_/);
  });

  await t.test('the logs hold no patient name or id from the fixtures', () => {
    const logs = gw.logs();
    for (const f of ECG_FILES) {
      const ds = parseDicom(readFileSync(f));
      for (const tag of ['x00100010', 'x00100020']) {
        const v = ds.string(tag)?.replace(/\0/g, '').trim();
        if (v && v.length >= 3) assert.ok(!logs.includes(v), `${basename(f)} ${tag} appears in the logs`);
      }
    }
  });
});

test('DIMSE: with DICOM_ALLOWED_AE_TITLES only listed calling AE titles may associate', async (t) => {
  const gw = await startGateway({ env: { DICOM_ALLOWED_AE_TITLES: 'CART01, MUSE' } });
  t.after(() => gw.stop());
  const refused = await echoscu('127.0.0.1', gw.dicomPort, { calledAeTitle: 'ECGGW', callingAeTitle: 'INTRUDER' });
  assert.notEqual(refused.code, 0);
  assert.match(refused.rejected?.reason ?? '', /Calling AE Title Not Recognized/);
  const allowed = await echoscu('127.0.0.1', gw.dicomPort, { calledAeTitle: 'ECGGW', callingAeTitle: 'MUSE' });
  assert.equal(allowed.code, 0, allowed.output);
  const r = await storescu('127.0.0.1', gw.dicomPort, [ECG_FILES[0]!], { calledAeTitle: 'ECGGW', callingAeTitle: 'CART01' });
  assert.equal(r.files[0]?.status, 0x0000, r.output.slice(-2000));
  const items = await dimseMessages(gw);
  assert.equal(items.length, 1);
  const detail = (await (await fetch(`${gw.baseUrl}/api/messages/${items[0]!.id}`, { headers: gw.authHeaders() })).json()) as { peer: { callingAeTitle?: string } };
  assert.equal(detail.peer.callingAeTitle, 'CART01');
});
