import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { test, type TestContext } from 'node:test';
import pino from 'pino';
import { ACCEPTED_ABSTRACT_SYNTAXES, TRANSFER_SYNTAX_PREFERENCE } from '../../../src/ingest/dicom/accepted-syntaxes';
import { createEcgScpClass, type ReceivedStore } from '../../../src/ingest/dicom/ecg-scp';
import type { StoreStatusAnswer } from '../../../src/ingest/dicom/error-to-status';
import { storescu } from '../../helpers/dcmtk';
import { fixture } from '../../helpers/paths';

const IMPLICIT_ECG = fixture('dicom', 'ecgtoolkit_Example.dcm');

/** The SCP on a loopback port with a `store` the test controls; the peer is the real dcmtk storescu. */
async function listen(t: TestContext, store: (r: ReceivedStore) => Promise<StoreStatusAnswer>, maxObjectBytes = 64 * 1024 * 1024): Promise<number> {
  const Scp = createEcgScpClass({
    policy: { aeTitle: 'ECGGW', allowedCallingAeTitles: undefined, abstractSyntaxes: ACCEPTED_ABSTRACT_SYNTAXES, transferSyntaxPreference: TRANSFER_SYNTAX_PREFERENCE },
    maxObjectBytes,
    logger: pino({ level: 'silent' }),
    store,
    track: () => undefined,
  });
  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    new Scp(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}

test('the C-STORE-RSP is sent only once store() resolves, with the status it resolved to', async (t) => {
  let release: ((a: StoreStatusAnswer) => void) | undefined;
  let received: ReceivedStore | undefined;
  let storeCalled: () => void = () => undefined;
  const called = new Promise<void>((r) => (storeCalled = r));
  const port = await listen(t, (r) => {
    received = r;
    storeCalled();
    return new Promise((resolve) => (release = resolve));
  });
  let answered = false;
  const run = storescu('127.0.0.1', port, [IMPLICIT_ECG], { calledAeTitle: 'ECGGW', callingAeTitle: 'CART01' }).finally(() => (answered = true));
  await called;
  // The whole dataset has arrived and storescu is still waiting: nothing was answered before the store's answer.
  assert.equal(answered, false);
  release!({ status: 0xa700, errorComment: 'STORE_UNAVAILABLE' });
  const r = await run;
  assert.equal(r.files[0]?.status, 0xa700, r.output.slice(-2000));
  assert.equal(r.files[0]?.errorComment, 'STORE_UNAVAILABLE');

  // What store() got: the dataset bytes exactly as sent (Implicit VR LE goes over the wire unchanged).
  const file = readFileSync(IMPLICIT_ECG);
  assert.ok(received?.dataset?.equals(file.subarray(144 + file.readUInt32LE(140))));
  assert.equal(received?.transferSyntaxUid, '1.2.840.10008.1.2');
  assert.equal(received?.affectedSopClassUid, '1.2.840.10008.5.1.4.1.1.9.1.1');
  assert.equal(received?.callingAeTitle, 'CART01');
});

test('a success answer reaches storescu as 0000', async (t) => {
  const port = await listen(t, () => Promise.resolve({ status: 0x0000, errorComment: '' }));
  const r = await storescu('127.0.0.1', port, [IMPLICIT_ECG], { calledAeTitle: 'ECGGW' });
  assert.equal(r.files[0]?.status, 0x0000, r.output.slice(-2000));
});

test('a store() that throws is answered 0110, never success', async (t) => {
  const port = await listen(t, () => Promise.reject(new Error('bug')));
  const r = await storescu('127.0.0.1', port, [IMPLICIT_ECG], { calledAeTitle: 'ECGGW' });
  assert.equal(r.files[0]?.status, 0x0110, r.output.slice(-2000));
});

test('a dataset over maxObjectBytes reaches store() without bytes, only its size', async (t) => {
  let received: ReceivedStore | undefined;
  const port = await listen(
    t,
    (r) => {
      received = r;
      return Promise.resolve({ status: 0xa700, errorComment: 'INGEST_TOO_LARGE' });
    },
    10_000,
  );
  const r = await storescu('127.0.0.1', port, [IMPLICIT_ECG], { calledAeTitle: 'ECGGW' });
  assert.equal(r.files[0]?.status, 0xa700);
  assert.equal(received?.dataset, undefined);
  assert.ok((received?.receivedBytes ?? 0) > 10_000);
});
