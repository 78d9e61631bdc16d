import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createResampler, rationalFactor } from '../../../src/ecg/signal/resampler';

function sine(n: number, fs: number, f: number, phase = 0.3): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(2 * Math.PI * f * (i / fs) + phase);
  return x;
}

// Every rate in the fixtures (100, 240, 250, 360, 500, 1000 Hz) to both model rates in use.
const PAIRS: ReadonlyArray<readonly [number, number]> = [
  [1000, 500], [360, 500], [240, 500], [250, 500], [100, 500],
  [500, 100], [1000, 100], [360, 100], [240, 100], [250, 100],
];

test('finds the rational factor from the gcd of the two rates', () => {
  assert.deepEqual(rationalFactor(360, 500), { up: 25, down: 18 });
  assert.deepEqual(rationalFactor(240, 500), { up: 25, down: 12 });
  assert.deepEqual(rationalFactor(1000, 100), { up: 1, down: 10 });
  assert.deepEqual(rationalFactor(100, 500), { up: 5, down: 1 });
  assert.deepEqual(rationalFactor(499.9, 500), { up: 5000, down: 4999 });
});

for (const [from, to] of PAIRS) {
  test(`${from} → ${to} Hz: sines up to 0.8 × the lower Nyquist keep amplitude and phase within 0.2 %`, () => {
    const r = createResampler(from, to);
    const nyquist = Math.min(from, to) / 2;
    const start = from; // window starts 1 s into a 12 s record
    const count = 10 * to;
    for (const f of [0.5, 0.3 * nyquist, 0.8 * nyquist]) {
      const y = r.resample(sine(12 * from, from, f), start, count);
      let worst = 0;
      for (let m = 0; m < count; m++) {
        const t = start / from + m / to; // output m lies exactly at input sample start + m·from/to
        worst = Math.max(worst, Math.abs(y[m]! - Math.sin(2 * Math.PI * f * t + 0.3)));
      }
      assert.ok(worst < 2e-3, `${f} Hz: max error ${worst} ≥ 0.2 % of the amplitude`);
    }
  });

  if (to < from) {
    test(`${from} → ${to} Hz: content at and above the new Nyquist is attenuated by ≥ 55 dB (no aliasing)`, () => {
      const r = createResampler(from, to);
      for (const mult of [1, 1.05, 1.5, 3]) {
        const f = (mult * to) / 2;
        if (f >= from / 2) continue;
        const y = r.resample(sine(12 * from, from, f), from, 10 * to);
        let ss = 0;
        for (const v of y) ss += v * v;
        const amplitudeDb = 20 * Math.log10(Math.sqrt((2 * ss) / y.length));
        assert.ok(amplitudeDb < -55, `${f} Hz came through at ${amplitudeDb.toFixed(1)} dB`);
      }
    });
  }
}

test('a constant stays exactly constant, at the edges too (unit DC gain per phase, reflection at the ends)', () => {
  const r = createResampler(360, 500);
  const y = r.resample(new Float64Array(3600).fill(-250), 0, 5000);
  for (const v of y) assert.ok(Math.abs(v + 250) < 1e-9);
});

test('near the record ends (odd-reflection extension) a 1 Hz sine stays within 0.1 %', () => {
  const r = createResampler(1000, 500);
  const y = r.resample(sine(10_000, 1000, 1), 0, 5000);
  for (let m = 0; m < 5000; m++) assert.ok(Math.abs(y[m]! - Math.sin(2 * Math.PI * (m / 500) + 0.3)) < 1e-3);
});

test('a large interpolation factor (499.9 → 500 Hz, L = 5000) uses the direct kernel and is as accurate', () => {
  const r = createResampler(499.9, 500);
  assert.equal(r.up, 5000);
  const y = r.resample(sine(6000, 499.9, 20), 500, 4000);
  for (let m = 0; m < 4000; m++) assert.ok(Math.abs(y[m]! - Math.sin(2 * Math.PI * 20 * (500 / 499.9 + m / 500) + 0.3)) < 2e-3);
});
