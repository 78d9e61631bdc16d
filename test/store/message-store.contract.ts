import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { isGatewayError } from '../../src/errors/gateway-error';
import type { IncomingMessage } from '../../src/store/message';
import type { MessageStore } from '../../src/store/message-store.port';

/** A fresh, migrated, empty store; `reopen` closes nothing and opens a second handle on the same data. */
export interface StoreUnderTest {
  store: MessageStore;
  reopen: () => Promise<MessageStore>;
  cleanup: () => Promise<void>;
}

export type StoreFactory = () => Promise<StoreUnderTest>;

const T0 = new Date('2024-03-05T10:15:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

function hl7(controlId: string, body = 'OBX|1|NM|8867-4^HR^LN||72'): IncomingMessage {
  return {
    protocol: 'mllp',
    peer: { address: '127.0.0.1', sendingApplication: 'CART', sendingFacility: 'CARDIO' },
    sourceId: controlId,
    dedupKey: `hl7:CART|CARDIO:${controlId}`,
    contentType: 'application/hl7-v2',
    raw: new TextEncoder().encode(`MSH|^~\\&|CART|CARDIO|ECGGW|HOSP|20240305101500||ORU^R01|${controlId}|P|2.5\r${body}\r`),
    receivedAt: T0,
  };
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isGatewayError(err), `expected a GatewayError, got ${String(err)}`);
    assert.equal(err.code, code);
    return true;
  });
}

async function open(t: TestContext, factory: StoreFactory): Promise<StoreUnderTest> {
  const sut = await factory();
  t.after(() => sut.cleanup());
  return sut;
}

/**
 * The behaviour every MessageStore adapter must show (SQLite and PostgreSQL): durable
 * receive with dedup, claims with leases, transitions, replay, listing.
 */
export function messageStoreContract(adapter: string, factory: StoreFactory): void {
  describe(`MessageStore contract: ${adapter}`, () => {
    test('receive commits raw bytes with their sha256 and a received row with its timeline', async (t) => {
      const { store } = await open(t, factory);
      const msg = hl7('C1');
      const out = await store.receive(msg);
      assert.equal(out.disposition, 'new');
      assert.match(out.sha256, /^[0-9a-f]{64}$/);
      const row = await store.get(out.id);
      assert.ok(row);
      assert.equal(row.state, 'received');
      assert.equal(row.protocol, 'mllp');
      assert.equal(row.sourceId, 'C1');
      assert.equal(row.sha256, out.sha256);
      assert.equal(row.sizeBytes, msg.raw.byteLength);
      assert.deepEqual(row.peer, msg.peer);
      assert.equal(row.receivedAt, T0.toISOString());
      assert.equal(row.repeats, 0);
      assert.equal(row.versionOf, undefined);
      assert.deepEqual(Buffer.from((await store.getRaw(out.id))!), Buffer.from(msg.raw));
      const timeline = await store.timeline(out.id);
      assert.deepEqual(timeline.map((e) => [e.state, e.event]), [['received', 'received']]);
    });

    test('the same key with the same bytes is a repeat of the first row, not a second row', async (t) => {
      const { store } = await open(t, factory);
      const first = await store.receive(hl7('C1'));
      const again = await store.receive({ ...hl7('C1'), receivedAt: at(1000) });
      assert.equal(again.disposition, 'repeat');
      assert.equal(again.id, first.id);
      assert.equal(again.previousId, first.id);
      const page = await store.list({ limit: 10 });
      assert.equal(page.items.length, 1);
      assert.equal(page.items[0]!.repeats, 1);
      const events = (await store.timeline(first.id)).map((e) => e.event);
      assert.deepEqual(events, ['received', 'repeat']);
    });

    test('the same key with other bytes is kept as a new row flagged as a version of the latest', async (t) => {
      const { store } = await open(t, factory);
      const first = await store.receive(hl7('C1'));
      const second = await store.receive(hl7('C1', 'OBX|1|NM|8867-4^HR^LN||73'));
      assert.equal(second.disposition, 'new-version');
      assert.equal(second.previousId, first.id);
      assert.notEqual(second.id, first.id);
      const third = await store.receive(hl7('C1', 'OBX|1|NM|8867-4^HR^LN||74'));
      assert.equal(third.previousId, second.id);
      assert.equal((await store.get(third.id))!.versionOf, second.id);
      assert.equal((await store.get(third.id))!.state, 'received');
      // Sending the first version again is a repeat of it, not a fourth row.
      const repeat = await store.receive(hl7('C1'));
      assert.equal(repeat.disposition, 'repeat');
      assert.equal(repeat.id, first.id);
      assert.equal((await store.list({ limit: 10 })).items.length, 3);
    });

    test('messages without a dedup key are always new', async (t) => {
      const { store } = await open(t, factory);
      const { dedupKey: _k, ...noKey } = hl7('C1');
      const a = await store.receive(noKey);
      const b = await store.receive(noKey);
      assert.equal(a.disposition, 'new');
      assert.equal(b.disposition, 'new');
      assert.notEqual(a.id, b.id);
    });

    test('a refused message is committed as failed with the reason, and is never claimed', async (t) => {
      const { store } = await open(t, factory);
      const out = await store.receive({ ...hl7('BAD'), refused: { code: 'DECODE_REQUIRED_FIELD_MISSING', field: 'PID-3', message: 'PID-3 is required' } });
      const row = await store.get(out.id);
      assert.equal(row!.state, 'failed');
      assert.deepEqual(row!.lastError, { code: 'DECODE_REQUIRED_FIELD_MISSING', field: 'PID-3', message: 'PID-3 is required' });
      assert.deepEqual((await store.timeline(out.id)).map((e) => [e.state, e.event]), [['received', 'received'], ['failed', 'refused']]);
      assert.equal(await store.claimNext('received', 'w1', 1000, at(0)), undefined);
    });

    test('a message the listener already decoded is committed as decoded with its summary, never claimed for decode', async (t) => {
      const { store } = await open(t, factory);
      const out = await store.receive({ ...hl7('DEC'), decoded: { summary: { format: 'hl7v2', sampleRateHz: 500 }, detail: { decodeMs: 4 } } });
      const row = await store.get(out.id);
      assert.equal(row!.state, 'decoded');
      assert.deepEqual(row!.summary, { format: 'hl7v2', sampleRateHz: 500 });
      const timeline = await store.timeline(out.id);
      assert.deepEqual(timeline.map((e) => [e.state, e.event]), [['received', 'received'], ['decoded', 'decode']]);
      assert.deepEqual(timeline[1]!.detail, { decodeMs: 4, at: 'ingest' });
      assert.equal(await store.claimNext('received', 'w1', 1000, at(0)), undefined);
      assert.equal((await store.claimNext('decoded', 'scorer', 1000, at(0)))?.row.id, out.id);
    });

    test('claimNext hands out the oldest row once, with its raw bytes, and counts the attempt', async (t) => {
      const { store } = await open(t, factory);
      const a = await store.receive(hl7('A'));
      const b = await store.receive(hl7('B'));
      const c1 = await store.claimNext('received', 'w1', 10_000, at(0));
      const c2 = await store.claimNext('received', 'w2', 10_000, at(0));
      const c3 = await store.claimNext('received', 'w3', 10_000, at(0));
      assert.equal(c1?.row.id, a.id);
      assert.equal(c2?.row.id, b.id);
      assert.equal(c3, undefined);
      assert.equal(c1.row.attempts, 1);
      assert.notEqual(c1.claimToken, c2.claimToken);
      assert.deepEqual(Buffer.from(c1.raw), Buffer.from((await store.getRaw(a.id))!));
      // The pipeline transfers the claimed bytes' ArrayBuffer to a decode worker: it must hold exactly them.
      assert.equal(c1.raw.byteOffset, 0);
      assert.equal(c1.raw.buffer.byteLength, c1.raw.byteLength);
    });

    test('an expired lease of a dead worker is claimable by another, and the old claim is lost', async (t) => {
      const { store } = await open(t, factory);
      const a = await store.receive(hl7('A'));
      const dead = await store.claimNext('received', 'dead-worker', 5_000, at(0));
      assert.ok(dead);
      assert.equal(await store.claimNext('received', 'w2', 5_000, at(4_999)), undefined);
      const taken = await store.claimNext('received', 'w2', 5_000, at(5_000));
      assert.equal(taken?.row.id, a.id);
      assert.equal(taken.row.attempts, 2);
      await rejectsWith(store.transition(a.id, dead.claimToken, { to: 'decoded', event: 'decode' }, at(5_001)), 'STORE_CLAIM_LOST');
      await store.transition(a.id, taken.claimToken, { to: 'decoded', event: 'decode' }, at(5_002));
      const events = (await store.timeline(a.id)).map((e) => e.event);
      assert.deepEqual(events, ['received', 'lease-expired', 'decode']);
    });

    test('a worker that dies holding a retried message is noted as a takeover when its lease expires', async (t) => {
      const { store } = await open(t, factory);
      const a = await store.receive(hl7('A'));
      const first = (await store.claimNext('received', 'w1', 5_000, at(0)))!;
      await store.transition(a.id, first.claimToken, { to: 'received', event: 'decode-retry', retryAt: at(1_000) }, at(10));
      assert.equal(await store.claimNext('received', 'w2', 5_000, at(999)), undefined);
      const dead = await store.claimNext('received', 'dead-worker', 5_000, at(1_000));
      assert.equal(dead?.row.id, a.id);
      assert.equal(await store.claimNext('received', 'w3', 5_000, at(5_999)), undefined);
      const taken = await store.claimNext('received', 'w3', 5_000, at(6_000));
      assert.equal(taken?.row.id, a.id);
      const events = await store.timeline(a.id);
      assert.deepEqual(events.map((e) => e.event), ['received', 'decode-retry', 'lease-expired']);
      assert.deepEqual(events.at(-1)?.detail, { previousWorker: 'dead-worker' });
    });

    test('renewLease extends a held lease, so no other worker can claim the row while its holder works', async (t) => {
      const { store } = await open(t, factory);
      const a = await store.receive(hl7('A'));
      const holder = (await store.claimNext('received', 'w1', 5_000, at(0)))!;
      await store.renewLease(a.id, holder.claimToken, 5_000, at(4_000));
      await store.renewLease(a.id, holder.claimToken, 5_000, at(8_000));
      // Without the renewals the row would be claimable from at(5_000) on.
      assert.equal(await store.claimNext('received', 'w2', 5_000, at(5_000)), undefined);
      assert.equal(await store.claimNext('received', 'w2', 5_000, at(12_999)), undefined);
      await store.transition(a.id, holder.claimToken, { to: 'decoded', event: 'decode' }, at(13_000));
      assert.deepEqual((await store.timeline(a.id)).map((e) => e.event), ['received', 'decode'], 'no takeover was noted');
      assert.equal((await store.get(a.id))!.attempts, 1);
    });

    test('a renewal stops holding once the lease ran out and the row was taken over: STORE_CLAIM_LOST', async (t) => {
      const { store } = await open(t, factory);
      const a = await store.receive(hl7('A'));
      const stalled = (await store.claimNext('received', 'w1', 5_000, at(0)))!;
      await store.renewLease(a.id, stalled.claimToken, 5_000, at(1_000));
      assert.equal(await store.claimNext('received', 'w2', 5_000, at(5_999)), undefined);
      const taken = await store.claimNext('received', 'w2', 5_000, at(6_000));
      assert.equal(taken?.row.id, a.id);
      await rejectsWith(store.renewLease(a.id, stalled.claimToken, 5_000, at(6_001)), 'STORE_CLAIM_LOST');
      // The failed renewal changed nothing: the new holder keeps its lease and can renew it.
      assert.equal(await store.claimNext('received', 'w3', 5_000, at(10_999)), undefined);
      await store.renewLease(a.id, taken.claimToken, 5_000, at(10_000));
      await rejectsWith(store.transition(a.id, stalled.claimToken, { to: 'decoded', event: 'decode' }, at(10_001)), 'STORE_CLAIM_LOST');
      await store.transition(a.id, taken.claimToken, { to: 'decoded', event: 'decode' }, at(10_002));
      assert.deepEqual((await store.timeline(a.id)).map((e) => e.event), ['received', 'lease-expired', 'decode']);
    });

    test('a claim expired but not taken over is still held: renewing it keeps it', async (t) => {
      const { store } = await open(t, factory);
      const a = await store.receive(hl7('A'));
      const slow = (await store.claimNext('received', 'w1', 5_000, at(0)))!;
      await store.renewLease(a.id, slow.claimToken, 5_000, at(7_000));
      assert.equal(await store.claimNext('received', 'w2', 5_000, at(11_999)), undefined);
      await store.transition(a.id, slow.claimToken, { to: 'decoded', event: 'decode' }, at(8_000));
    });

    test('renewing a released claim fails with STORE_CLAIM_LOST: after a transition, and while a retry waits', async (t) => {
      const { store } = await open(t, factory);
      const a = await store.receive(hl7('A'));
      const first = (await store.claimNext('received', 'w1', 5_000, at(0)))!;
      await store.transition(a.id, first.claimToken, { to: 'received', event: 'decode-retry', retryAt: at(1_000) }, at(10));
      await rejectsWith(store.renewLease(a.id, first.claimToken, 60_000, at(20)), 'STORE_CLAIM_LOST');
      // The late renewal did not hold the retry back past its time.
      const again = (await store.claimNext('received', 'w2', 5_000, at(1_000)))!;
      assert.equal(again.row.id, a.id);
      await store.transition(a.id, again.claimToken, { to: 'decoded', event: 'decode' }, at(1_010));
      await rejectsWith(store.renewLease(a.id, again.claimToken, 5_000, at(1_020)), 'STORE_CLAIM_LOST');
      await rejectsWith(store.renewLease('00000000-0000-4000-8000-000000000000', again.claimToken, 5_000, at(1_020)), 'STORE_CLAIM_LOST');
    });

    test('transition moves the row on, stores summary/error/results, and releases the claim', async (t) => {
      const { store } = await open(t, factory);
      const a = await store.receive(hl7('A'));
      const c = (await store.claimNext('received', 'w1', 10_000, at(0)))!;
      await store.transition(a.id, c.claimToken, { to: 'decoded', event: 'decode', summary: { format: 'hl7v2', leads: 12 }, detail: { decodeMs: 3 } }, at(10));
      let row = (await store.get(a.id))!;
      assert.equal(row.state, 'decoded');
      assert.deepEqual(row.summary, { format: 'hl7v2', leads: 12 });
      assert.equal(row.updatedAt, at(10).toISOString());
      const next = (await store.claimNext('decoded', 'scorer', 10_000, at(20)))!;
      assert.equal(next.row.id, a.id);
      await store.transition(a.id, next.claimToken, { to: 'scored', event: 'score', results: { modelA: 0.1 } }, at(30));
      const again = (await store.claimNext('scored', 'x', 10_000, at(31)))!;
      await store.transition(a.id, again.claimToken, { to: 'failed', event: 'deliver', results: { delivery: 'rejected' }, error: { code: 'FHIR_REJECTED', message: 'EHR said 422' } }, at(40));
      row = (await store.get(a.id))!;
      assert.equal(row.state, 'failed');
      assert.deepEqual(row.results, { modelA: 0.1, delivery: 'rejected' });
      assert.deepEqual(row.lastError, { code: 'FHIR_REJECTED', message: 'EHR said 422' });
      assert.deepEqual(row.summary, { format: 'hl7v2', leads: 12 }, 'a later transition keeps the summary');
      const last = (await store.timeline(a.id)).at(-1)!;
      assert.deepEqual(last.detail, { error: { code: 'FHIR_REJECTED', message: 'EHR said 422' } });
    });

    test('a transition with retryAt keeps the row out of reach until then', async (t) => {
      const { store } = await open(t, factory);
      const a = await store.receive(hl7('A'));
      const c = (await store.claimNext('received', 'w1', 1_000, at(0)))!;
      await store.transition(a.id, c.claimToken, { to: 'received', event: 'retry', retryAt: at(60_000) }, at(10));
      assert.equal(await store.claimNext('received', 'w2', 1_000, at(59_999)), undefined);
      const later = await store.claimNext('received', 'w2', 1_000, at(60_000));
      assert.equal(later?.row.id, a.id);
      assert.deepEqual((await store.timeline(a.id)).map((e) => e.event), ['received', 'retry']);
    });

    test('replay puts a failed message back, and refuses others with a clear code', async (t) => {
      const { store } = await open(t, factory);
      const bad = await store.receive({ ...hl7('BAD'), refused: { code: 'DECODE_MALFORMED', message: 'x' } });
      const good = await store.receive(hl7('GOOD'));
      const row = await store.replay(bad.id, 'received', at(100));
      assert.equal(row.state, 'received');
      assert.equal(row.lastError, undefined);
      assert.equal(row.attempts, 0);
      const last = (await store.timeline(bad.id)).at(-1)!;
      assert.equal(last.event, 'replay');
      assert.deepEqual(last.detail, { from: 'failed' });
      assert.equal((await store.claimNext('received', 'w', 1000, at(200)))?.row.id, bad.id);
      await rejectsWith(store.replay(good.id, 'received', at(300)), 'MESSAGE_STATE_CONFLICT');
      await rejectsWith(store.replay('00000000-0000-4000-8000-000000000000', 'received', at(300)), 'API_NOT_FOUND');
      assert.equal(await store.get('00000000-0000-4000-8000-000000000000'), undefined);
    });

    test('list filters by state, protocol and time, newest first, and pages with a cursor', async (t) => {
      const { store } = await open(t, factory);
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await store.receive({ ...hl7(`M${i}`), receivedAt: at(i * 1000) })).id);
      await store.receive({ ...hl7('DICOM-ISH'), protocol: 'dimse', dedupKey: 'dicom:1.2.3', receivedAt: at(10_000) });
      await store.receive({ ...hl7('F'), refused: { code: 'DECODE_MALFORMED', message: 'x' }, receivedAt: at(11_000) });

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ protocol: 'mllp', state: 'received', limit: 3, ...(cursor ? { cursor } : {}) });
        assert.ok(page.items.length <= 3);
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, [...ids].reverse());

      const window = await store.list({ since: at(2000), until: at(5000), limit: 50 });
      assert.deepEqual(window.items.map((r) => r.sourceId), ['M4', 'M3', 'M2']);
      assert.equal(window.nextCursor, undefined);
      assert.equal((await store.list({ protocol: 'dimse', limit: 50 })).items.length, 1);
      assert.equal((await store.list({ state: 'failed', limit: 50 })).items[0]?.sourceId, 'F');
      await rejectsWith(store.list({ limit: 5, cursor: 'not-a-cursor' }), 'API_BAD_REQUEST');
    });

    test('countByState counts every state, zero included', async (t) => {
      const { store } = await open(t, factory);
      await store.receive(hl7('A'));
      await store.receive(hl7('B'));
      await store.receive({ ...hl7('C'), refused: { code: 'DECODE_MALFORMED', message: 'x' } });
      assert.deepEqual(await store.countByState(), { received: 2, decoded: 0, scored: 0, delivered: 0, failed: 1, dead: 0 });
    });

    test('many receives at once are all committed, each once', async (t) => {
      const { store } = await open(t, factory);
      const outs = await Promise.all(Array.from({ length: 60 }, (_, i) => store.receive(hl7(`P${i % 30}`))));
      assert.equal(outs.filter((o) => o.disposition === 'new').length, 30);
      assert.equal(outs.filter((o) => o.disposition === 'repeat').length, 30);
      assert.equal((await store.list({ limit: 100 })).items.length, 30);
    });

    test('workers claiming at once each get a different row, and every row goes to exactly one', async (t) => {
      const { store } = await open(t, factory);
      const ids = new Set<string>();
      for (let i = 0; i < 12; i++) ids.add((await store.receive(hl7(`W${i}`))).id);
      const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => store.claimNext('received', `worker-${i}`, 60_000, at(0))));
      const claimed = claims.filter((c) => c !== undefined).map((c) => c.row.id);
      assert.equal(claimed.length, 12, 'each row is claimed once, the other workers get nothing');
      assert.deepEqual(new Set(claimed), ids);
    });

    test('a second handle on the same data never claims a row the first one holds', async (t) => {
      const { store, reopen } = await open(t, factory);
      const other = await reopen();
      t.after(() => other.close());
      for (let i = 0; i < 10; i++) await store.receive(hl7(`R${i}`));
      const claims = await Promise.all(
        Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? store : other).claimNext('received', `replica-${i % 2}-${i}`, 60_000, at(0))),
      );
      const claimed = claims.filter((c) => c !== undefined).map((c) => c.row.id);
      assert.equal(claimed.length, 10);
      assert.equal(new Set(claimed).size, 10);
    });

    test('what a resolved receive committed is there for a second handle on the same data', async (t) => {
      const { store, reopen } = await open(t, factory);
      const out = await store.receive(hl7('DURABLE'));
      const other = await reopen();
      t.after(() => other.close());
      assert.equal((await other.get(out.id))?.sourceId, 'DURABLE');
      await other.migrate(); // migrating an up-to-date store is a no-op
      assert.equal((await other.receive(hl7('DURABLE'))).disposition, 'repeat');
    });

    test('a closed store is not writable and refuses receive with STORE_UNAVAILABLE', async (t) => {
      const { store } = await open(t, factory);
      assert.equal(await store.isWritable(), true);
      await store.close();
      assert.equal(await store.isWritable(), false);
      await rejectsWith(store.receive(hl7('LATE')), 'STORE_UNAVAILABLE');
    });
  });
}
