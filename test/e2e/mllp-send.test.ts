import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../helpers/free-port';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { allMessages } from '../helpers/messages-api';
import { fixture } from '../helpers/paths';
import { runCli } from '../helpers/run-cli';

describe('ecg-gateway send <file…> --to host:port (the built CLI against the real gateway)', () => {
  let gw: GatewayProcess;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.stop());

  test('prints AA per accepted HL7 file and exits 0', () => {
    const files = [fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), fixture('hl7', 'ecg', 'oru_r01_v23_na_12lead.hl7')];
    const r = runCli(['send', ...files, '--to', `127.0.0.1:${gw.mllpPort}`]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), files.map((f) => `${f} AA`));
  });

  test('prints the NAK with ERR-3, location and text, and exits 2 when a file is refused', async () => {
    const good = fixture('hl7', 'ecg', 'oru_r01_v25_ed_aecg.hl7');
    const bad = fixture('hl7', 'ecg', 'bad', 'oru_missing_patient_id.hl7');
    const adt = fixture('hl7', 'negative', 'ADT-A01-01.hl7'); // LF-separated on disk: sent with CR
    const r = runCli(['send', good, bad, adt, '--to', `127.0.0.1:${gw.mllpPort}`]);
    assert.equal(r.status, 2);
    const [l1, l2, l3] = r.stdout.trim().split('\n');
    assert.equal(l1, `${good} AA`);
    assert.match(l2!, new RegExp(`^${bad} AE 101 PID\\^1\\^3: PID-3: .+`));
    assert.match(l3!, new RegExp(`^${adt} AR 200 MSH\\^1\\^9: .*ADT`));
    assert.equal((await allMessages(gw.baseUrl, 'state=failed')).length, 2, 'both refusals kept for analysts');
  });

  test('sends a DICOM file by C-STORE to the DIMSE port and prints its status', () => {
    const dcm = fixture('dicom', 'ecgtoolkit_Example.dcm');
    const r = runCli(['send', dcm, '--to', `127.0.0.1:${gw.dicomPort}`]);
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.equal(r.stdout.trim(), `${dcm} 0000`);
  });

  test('a file that is neither HL7 nor DICOM is refused without sending anything', () => {
    const r = runCli(['send', fixture('aecg', 'minimum_aecg.xml'), '--to', `127.0.0.1:${gw.mllpPort}`]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /error DECODE_FORMAT_UNKNOWN file: send takes HL7 v2 or DICOM files; this one is aecg/);
  });
});

test('send exits 1 with one error line when nothing listens on the port', async () => {
  const port = await freePort();
  const r = runCli(['send', fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'), '--to', `127.0.0.1:${port}`]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /error SEND_PEER_UNREACHABLE --to: no MLLP connection to 127\.0\.0\.1:\d+/);
});
