import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MllpSender } from '../../src/cli/mllp-sender';
import { startGateway } from '../helpers/gateway-process';
import { hl7Fixture, withControlId } from '../helpers/hl7-messages';
import { allMessages, getMessage, reachedDecoded, waitForPipeline } from '../helpers/messages-api';
import { fixture } from '../helpers/paths';

const SENDERS = 6;
const PER_SENDER = 50;
/** SIGKILL once this many AAs have come back: well inside the stream of SENDERS × PER_SENDER. */
const KILL_AFTER_ACKS = 100;

test('SIGKILL while receiving loses no acknowledged message and duplicates none; all are decoded after restart', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecggw-crash-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await startGateway({ dataDir });
  t.after(() => first.stop('SIGKILL'));

  const base = hl7Fixture(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7'));
  const acked = new Set<string>();
  const sent = new Set<string>();
  let killed: Promise<void> | undefined;
  const sender = async (s: number): Promise<void> => {
    const mllp = await MllpSender.connect('127.0.0.1', first.mllpPort);
    try {
      for (let i = 0; i < PER_SENDER && !killed; i++) {
        const id = `CRASH-${s}-${i}`;
        sent.add(id);
        let ack;
        try {
          ack = await mllp.send(withControlId(base, id), 3_000);
        } catch {
          return; // the gateway died under this message: it may or may not have been committed
        }
        assert.equal(ack.code, 'AA', `${id}: ${ack.errorText ?? ''}`);
        assert.equal(ack.ackedControlId, id);
        acked.add(id);
        if (acked.size >= KILL_AFTER_ACKS && !killed) killed = first.stop('SIGKILL');
      }
    } finally {
      await mllp.close();
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
  assert.ok(killed, 'the gateway was killed mid-stream');
  await killed;
  assert.ok(acked.size >= KILL_AFTER_ACKS && acked.size < SENDERS * PER_SENDER, `killed mid-stream (${acked.size} acked)`);

  const second = await startGateway({ dataDir });
  t.after(() => second.stop());
  await waitForPipeline(second.baseUrl, 120_000, second.logs);

  const rows = (await allMessages(second.baseUrl)).filter((m) => m.sourceId?.startsWith('CRASH-'));
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.sourceId!, (count.get(r.sourceId!) ?? 0) + 1);
  for (const id of acked) assert.equal(count.get(id), 1, `${id} was acknowledged: present exactly once`);
  for (const [id, n] of count) {
    assert.equal(n, 1, `${id} present once`);
    assert.ok(sent.has(id));
  }
  // Decoded once each, with its summary (later stages may have moved it on since).
  for (const row of rows) {
    const detail = await getMessage(second.baseUrl, row.id);
    assert.ok(reachedDecoded(detail), `${row.sourceId} decoded: ${detail.state} ${JSON.stringify(detail.lastError)}`);
    assert.equal(detail.timeline?.filter((e) => e.event === 'decode').length, 1, `${row.sourceId} decoded once`);
  }
  t.diagnostic(`sent ${sent.size}, acked ${acked.size}, committed ${rows.length} (committed but unacknowledged: ${rows.length - acked.size})`);
});

test('SIGTERM stops the listener and the worker before the store closes; the data is there after restart', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecggw-term-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await startGateway({ dataDir });
  t.after(() => first.stop('SIGKILL'));
  const mllp = await MllpSender.connect('127.0.0.1', first.mllpPort);
  const ack = await mllp.send(withControlId(hl7Fixture(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7')), 'TERM-1'));
  await mllp.close();
  assert.equal(ack.code, 'AA');
  const exited = new Promise<string>((resolve) => first.child.once('exit', (code, signal) => resolve(`${code}/${signal}`)));
  first.child.kill('SIGTERM');
  // Nest runs the shutdown hooks, then re-raises the signal on itself.
  assert.match(await exited, /^(0\/null|null\/SIGTERM)$/);
  const logs = first.logs();
  const [listener, worker, store] = ['mllp listener stopped', 'pipeline worker stopped', 'store closed'].map((m) => logs.indexOf(m));
  assert.ok(listener! >= 0 && worker! >= 0 && store! >= 0, `shutdown logged: ${listener},${worker},${store}`);
  assert.ok(store! > listener! && store! > worker!, 'the store closes after the listener and the worker stopped');

  const second = await startGateway({ dataDir });
  t.after(() => second.stop());
  const rows = (await allMessages(second.baseUrl)).filter((m) => m.sourceId === 'TERM-1');
  assert.equal(rows.length, 1);
});
