import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import { parseDicom } from 'dicom-parser';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { getMessage, reachedDecoded } from '../helpers/messages-api';
import { fixture, fixtureFiles } from '../helpers/paths';

type DicomJson = Record<string, { vr: string; Value?: Array<string | number | DicomJson> }>;

interface Item {
  id: string;
  state: string;
  sourceId?: string;
  repeats: number;
  lastError?: { code: string };
}

const ECG_FILES = fixtureFiles('dicom', (n) => n.endsWith('.dcm'));
const WAVEFORM_ECG = fixture('dicom', 'waveform_ecg.dcm');
const CT = fixture('dicom', 'negative', 'CT_small.dcm');
const PDF = fixture('dicom', 'negative', 'sample-pdf.dcm');

function uid(file: string, tag: string): string {
  return parseDicom(readFileSync(file)).string(tag)!.replace(/\0/g, '').trim();
}

function multipart(parts: ReadonlyArray<{ bytes: Buffer; type?: string }>): { body: Buffer; contentType: string } {
  const boundary = `ecggw-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${p.type ?? 'application/dicom'}\r\n\r\n`, 'latin1'), p.bytes, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}

async function stow(gw: GatewayProcess, files: ReadonlyArray<string | { bytes: Buffer; type?: string }>, path = '/dicomweb/studies'): Promise<{ status: number; type: string; json: DicomJson }> {
  const m = multipart(files.map((f) => (typeof f === 'string' ? { bytes: readFileSync(f) } : f)));
  const res = await fetch(`${gw.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': m.contentType, accept: 'application/dicom+json' }, body: m.body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as DicomJson };
}

function sequence(json: DicomJson, tag: string): DicomJson[] {
  return (json[tag]?.Value ?? []) as DicomJson[];
}

function refs(json: DicomJson, tag: string): Array<[string, number | undefined]> {
  return sequence(json, tag).map((item) => [String(item['00081155']?.Value?.[0]), item['00081197']?.Value?.[0] as number | undefined]);
}

async function stowMessages(gw: GatewayProcess): Promise<Item[]> {
  const res = await fetch(`${gw.baseUrl}/api/messages?protocol=stow-rs&limit=500`, { headers: gw.authHeaders() });
  return ((await res.json()) as { items: Item[] }).items;
}

test('STOW-RS: store, repeat, study path, partial and total failure, media type and syntax errors', async (t) => {
  const gw = await startGateway({ env: { STOW_MAX_REQUEST_BYTES: String(1_000_000) } });
  t.after(() => gw.stop());
  const ecgUid = uid(WAVEFORM_ECG, 'x00080018');

  await t.test('a DICOM ECG returns 200 with the instance in Referenced SOP Sequence and is decoded', async () => {
    const r = await stow(gw, [WAVEFORM_ECG]);
    assert.equal(r.status, 200);
    assert.match(r.type, /^application\/dicom\+json/);
    assert.deepEqual(refs(r.json, '00081199'), [[ecgUid, undefined]]);
    assert.equal(sequence(r.json, '00081199')[0]!['00081150']?.Value?.[0], '1.2.840.10008.5.1.4.1.1.9.1.1');
    assert.equal(r.json['00081198'], undefined);
    await waitFor(async () => {
      const row = (await stowMessages(gw)).find((m) => m.sourceId === ecgUid);
      return row !== undefined && reachedDecoded(await getMessage(gw.baseUrl, row.id));
    }, 30_000, 'STOW message decoded', gw.logs);
  });

  await t.test('every DICOM ECG fixture in one request: 200, all referenced', async () => {
    const r = await stow(gw, ECG_FILES.filter((f) => f !== WAVEFORM_ECG));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(sequence(r.json, '00081199').length, ECG_FILES.length - 1);
  });

  await t.test('re-sending the same instance is acknowledged (200) as a repeat, decoded once', async () => {
    const r = await stow(gw, [WAVEFORM_ECG]);
    assert.equal(r.status, 200);
    const rows = (await stowMessages(gw)).filter((m) => m.sourceId === ecgUid);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.repeats, 1);
    const detail = (await (await fetch(`${gw.baseUrl}/api/messages/${rows[0]!.id}`, { headers: gw.authHeaders() })).json()) as { timeline: Array<{ event: string }> };
    assert.equal(detail.timeline.filter((e) => e.event === 'decode').length, 1);
  });

  await t.test('POST /dicomweb/studies/{study}: the matching study is stored, another study fails with A900 and 409', async () => {
    const study = uid(WAVEFORM_ECG, 'x0020000d');
    assert.equal((await stow(gw, [WAVEFORM_ECG], `/dicomweb/studies/${study}`)).status, 200);
    const wrong = await stow(gw, [WAVEFORM_ECG], '/dicomweb/studies/1.2.826.0.1.3680043.8.498.99');
    assert.equal(wrong.status, 409);
    assert.deepEqual(refs(wrong.json, '00081198'), [[ecgUid, 0xa900]]);
    assert.equal(wrong.json['00081199'], undefined);
  });

  await t.test('an ECG with the CT negative: 202, the ECG referenced, the CT failed with 0122 (SOP class not supported)', async () => {
    const r = await stow(gw, [WAVEFORM_ECG, CT]);
    assert.equal(r.status, 202);
    assert.deepEqual(refs(r.json, '00081199'), [[ecgUid, undefined]]);
    assert.deepEqual(refs(r.json, '00081198'), [[uid(CT, 'x00080018'), 0x0122]]);
  });

  await t.test('only the CT and PDF negatives: 409, both failed, nothing stored or decoded', async () => {
    const before = (await stowMessages(gw)).length;
    const r = await stow(gw, [CT, PDF]);
    assert.equal(r.status, 409);
    assert.deepEqual(refs(r.json, '00081198').map(([, reason]) => reason), [0x0122, 0x0122]);
    const after = await stowMessages(gw);
    assert.equal(after.length, before);
    for (const f of [CT, PDF]) assert.ok(!after.some((m) => m.sourceId === uid(f, 'x00080018')), basename(f));
  });

  await t.test('a part that is not a PS3.10 file fails with C000 under Other Failures and is kept as failed', async () => {
    const before = (await stowMessages(gw)).length;
    const r = await stow(gw, [{ bytes: Buffer.from('definitely not DICOM') }]);
    assert.equal(r.status, 409);
    assert.deepEqual(sequence(r.json, '0008119A').map((i) => i['00081197']?.Value?.[0]), [0xc000]);
    const after = await stowMessages(gw);
    assert.equal(after.length, before + 1);
    assert.ok(after.some((m) => m.state === 'failed' && m.lastError?.code === 'DECODE_MALFORMED'));
  });

  await t.test('a part declared as another media type is not read: C000 under Other Failures', async () => {
    const r = await stow(gw, [WAVEFORM_ECG, { bytes: readFileSync(WAVEFORM_ECG), type: 'application/octet-stream' }]);
    assert.equal(r.status, 202);
    assert.deepEqual(sequence(r.json, '0008119A').map((i) => i['00081197']?.Value?.[0]), [0xc000]);
  });

  await t.test('a request that is not multipart/related; type="application/dicom" gets 415 problem+json', async () => {
    const bytes = readFileSync(WAVEFORM_ECG);
    for (const contentType of ['application/dicom', 'application/json', 'multipart/related; type="application/dicom+json"; boundary=x', 'multipart/form-data; boundary=x']) {
      const res = await fetch(`${gw.baseUrl}/dicomweb/studies`, { method: 'POST', headers: { 'content-type': contentType }, body: bytes });
      assert.equal(res.status, 415, contentType);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(((await res.json()) as { code: string }).code, 'INGEST_UNSUPPORTED_MEDIA_TYPE');
    }
  });

  await t.test('a multipart body without its closing boundary gets 400', async () => {
    const m = multipart([{ bytes: readFileSync(WAVEFORM_ECG) }]);
    const truncated = m.body.subarray(0, m.body.length - 40);
    const res = await fetch(`${gw.baseUrl}/dicomweb/studies`, { method: 'POST', headers: { 'content-type': m.contentType }, body: truncated });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, 'INGEST_MULTIPART_MALFORMED');
  });

  await t.test('a body over STOW_MAX_REQUEST_BYTES gets 413 and the gateway keeps serving', async () => {
    const big = multipart([{ bytes: Buffer.alloc(1_100_000, 1) }]);
    const res = await fetch(`${gw.baseUrl}/dicomweb/studies`, { method: 'POST', headers: { 'content-type': big.contentType }, body: big.body });
    assert.equal(res.status, 413);
    assert.equal((await stow(gw, [WAVEFORM_ECG])).status, 200);
  });
});
