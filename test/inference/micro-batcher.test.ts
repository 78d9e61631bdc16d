import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MicroBatcher } from '../../src/inference/micro-batcher';

function recordingRunner() {
  const batches: number[][] = [];
  const run = (items: readonly number[]) => {
    batches.push([...items]);
    return Promise.resolve(items.map((x) => x * 10));
  };
  return { batches, run };
}

test('concurrent submits within the wait share one run and each gets its own result', async () => {
  const r = recordingRunner();
  const b = new MicroBatcher(r.run, 8, 0, () => 0); // a frozen clock: the run takes 0 s
  const results = await Promise.all([1, 2, 3].map((x) => b.submit(x)));
  assert.deepEqual(results, [10, 20, 30]);
  assert.deepEqual(r.batches, [[1, 2, 3]]);
  assert.deepEqual(b.stats(), { runs: 1, items: 3, largestBatch: 3, runSeconds: 0 });
});

test('a full batch runs at once without waiting for maxWaitMs, and the rest forms the next batch', async () => {
  const r = recordingRunner();
  const b = new MicroBatcher(r.run, 4, 60_000); // the test would time out if the full batch waited
  const results = await Promise.all([1, 2, 3, 4].map((x) => b.submit(x)));
  assert.deepEqual(results, [10, 20, 30, 40]);
  assert.deepEqual(r.batches, [[1, 2, 3, 4]]);
});

test('never more than maxBatch per run; items arriving during a run form the next batch', async () => {
  const r = recordingRunner();
  const b = new MicroBatcher(r.run, 3, 0);
  const all = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((x) => b.submit(x)));
  assert.deepEqual(all, [10, 20, 30, 40, 50, 60, 70]);
  assert.deepEqual(r.batches, [[1, 2, 3], [4, 5, 6], [7]]);
});

test('one run at a time: a slow run lets the queue build into a bigger next batch', async () => {
  const batches: number[][] = [];
  let release: () => void = () => undefined;
  let started: () => void = () => undefined;
  const gate = new Promise<void>((res) => (release = res));
  const firstRunStarted = new Promise<void>((res) => (started = res));
  const b = new MicroBatcher<number, number>(async (items) => {
    batches.push([...items]);
    if (batches.length === 1) {
      started();
      await gate;
    }
    return items.map((x) => x);
  }, 8, 0);
  const first = b.submit(1);
  await firstRunStarted; // the first run is in progress and blocked
  const later = [2, 3, 4].map((x) => b.submit(x));
  release();
  assert.deepEqual(await Promise.all([first, ...later]), [1, 2, 3, 4]);
  assert.deepEqual(batches, [[1], [2, 3, 4]]);
});

test('a failed run rejects its own items only', async () => {
  let n = 0;
  const b = new MicroBatcher<number, number>((items) => (++n === 1 ? Promise.reject(new Error('boom')) : Promise.resolve([...items])), 2, 0);
  const a = b.submit(1);
  const c = b.submit(2);
  const d = b.submit(3);
  await assert.rejects(a, /boom/);
  await assert.rejects(c, /boom/);
  assert.equal(await d, 3);
});

test('a runner returning the wrong number of results rejects the batch', async () => {
  const b = new MicroBatcher<number, number>(() => Promise.resolve([1]), 4, 0);
  await assert.rejects(Promise.all([b.submit(1), b.submit(2)]), /returned 1 results for 2 items/);
});

test('stats sum the time spent in the runner over every run, in seconds', async () => {
  let clock = 0;
  const slowRun = (items: readonly number[]) => {
    clock += 250; // each run takes 250 ms on the injected clock
    return Promise.resolve(items.map((x) => x));
  };
  const b = new MicroBatcher(slowRun, 1, 0, () => clock);
  await Promise.all([1, 2].map((x) => b.submit(x)));
  assert.equal(b.stats().runs, 2);
  assert.equal(b.stats().runSeconds, 0.5);
});

test('observers see every run with its size, time and outcome, a failed one included, until removed', async () => {
  let clock = 0;
  const b = new MicroBatcher<number, number>(
    (items) => {
      clock += 250; // each run takes 0.25 s on this clock
      return items.includes(0) ? Promise.reject(new Error('bad batch')) : Promise.resolve(items.map((x) => x + 1));
    },
    2,
    0,
    () => clock,
  );
  const runs: Array<{ size: number; seconds: number; ok: boolean }> = [];
  const stop = b.observe((run) => runs.push({ ...run }));
  await Promise.all([b.submit(1), b.submit(2)]);
  await assert.rejects(b.submit(0), /bad batch/);
  stop();
  await b.submit(3);
  assert.deepEqual(runs, [
    { size: 2, seconds: 0.25, ok: true },
    { size: 1, seconds: 0.25, ok: false },
  ]);
  assert.equal(b.stats().runs, 3, 'the counters still count every run');
});
