import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { sendDicomFile } from '../../src/cli/send-dicom';
import { isGatewayError } from '../../src/errors/gateway-error';
import { runDcmtk, startStorescp } from '../helpers/dcmtk';
import { freePort } from '../helpers/free-port';
import { startGateway } from '../helpers/gateway-process';
import { fixture, fixtureFiles } from '../helpers/paths';

const ECG_FILES = fixtureFiles('dicom', (n) => n.endsWith('.dcm'));

function datasetBytes(file: Buffer): Buffer {
  return file.subarray(144 + file.readUInt32LE(140));
}

test('sendDicomFile: every ECG fixture stored by the gateway byte for byte; failures and refusals reported', async (t) => {
  const gw = await startGateway();
  t.after(() => gw.stop());
  const work = mkdtempSync(join(tmpdir(), 'ecggw-send-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));

  for (const file of ECG_FILES) {
    const r = await sendDicomFile(file, '127.0.0.1', gw.dicomPort);
    assert.deepEqual(r, { outcome: 'stored', status: 0, statusHex: '0000' }, basename(file));
  }
  const list = (await (await fetch(`${gw.baseUrl}/api/messages?protocol=dimse&limit=50`, { headers: gw.authHeaders() })).json()) as { items: Array<{ id: string }> };
  const stored = await Promise.all(
    list.items.map(async (m) => Buffer.from(((await (await fetch(`${gw.baseUrl}/api/messages/${m.id}?raw=1`, { headers: gw.authHeaders() })).json()) as { raw: string }).raw, 'base64')),
  );
  for (const file of ECG_FILES) {
    assert.ok(stored.some((s) => datasetBytes(s).equals(datasetBytes(readFileSync(file)))), `${basename(file)}: dataset sent and stored verbatim`);
  }

  const ct = await sendDicomFile(fixture('dicom', 'negative', 'CT_small.dcm'), '127.0.0.1', gw.dicomPort);
  assert.equal(ct.outcome, 'refused');

  const noWave = join(work, 'no-waveform.dcm');
  copyFileSync(fixture('dicom', 'waveform_ecg.dcm'), noWave);
  assert.equal((await runDcmtk('dcmodify', ['-nb', '-e', '(5400,0100)', '-m', '(0008,0018)=1.2.826.0.1.3680043.8.498.3', noWave])).code, 0);
  const failed = await sendDicomFile(noWave, '127.0.0.1', gw.dicomPort);
  assert.equal(failed.outcome, 'failed');
  assert.ok(failed.outcome === 'failed' && failed.statusHex === 'A900' && /^DECODE_/.test(failed.errorComment ?? ''));

  const wrongAe = await sendDicomFile(ECG_FILES[0]!, '127.0.0.1', gw.dicomPort, { calledAeTitle: 'SOMEONE' });
  assert.deepEqual(wrongAe, { outcome: 'refused', reason: 'association rejected (result 1, source 1, reason 7)' });

  await assert.rejects(sendDicomFile(fixture('dicom', '..', 'SOURCES.md'), '127.0.0.1', gw.dicomPort), (e: unknown) => isGatewayError(e) && e.code === 'FILE_UNREADABLE');
  const closedPort = await freePort();
  await assert.rejects(sendDicomFile(ECG_FILES[0]!, '127.0.0.1', closedPort), (e: unknown) => isGatewayError(e) && e.code === 'SEND_PEER_UNREACHABLE');
});

test('sendDicomFile interoperates with dcmtk storescp (bit-preserving): datasets arrive unchanged, never re-encoded', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'ecggw-storescp-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const port = await freePort();
  // storescp accepts only uncompressed syntaxes by default: the deflated file must be refused, not inflated and re-encoded.
  const scp = await startStorescp(port, out, ['+B']);
  t.after(() => scp.stop());
  const deflated = ECG_FILES.filter((f) => basename(f) === 'wave_dfl.dcm');
  const plain = ECG_FILES.filter((f) => !deflated.includes(f));
  for (const file of plain) {
    const r = await sendDicomFile(file, '127.0.0.1', port, { calledAeTitle: 'ANY-SCP' });
    assert.equal(r.outcome, 'stored', basename(file));
  }
  for (const file of deflated) {
    const r = await sendDicomFile(file, '127.0.0.1', port, { calledAeTitle: 'ANY-SCP' });
    assert.equal(r.outcome, 'refused', basename(file));
    assert.match(r.outcome === 'refused' ? r.reason : '', /1\.2\.840\.10008\.1\.2\.1\.99/);
  }
  const received = readdirSync(out).map((n) => datasetBytes(readFileSync(join(out, n))));
  assert.equal(received.length, plain.length);
  for (const file of plain) {
    assert.ok(received.some((d) => d.equals(datasetBytes(readFileSync(file)))), basename(file));
  }
});
