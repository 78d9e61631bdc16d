import assert from 'node:assert/strict';
import { test } from 'node:test';
import { butterworth, magnitudeAt, notch } from '../../../src/ecg/signal/biquad';
import { sosFiltfilt } from '../../../src/ecg/signal/sos-filtfilt';

const FS = 500;

function sine(n: number, f: number, amplitude = 1): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = amplitude * Math.sin((2 * Math.PI * f * i) / FS + 0.7);
  return x;
}

test('zero phase: a 10 Hz sine through a 40 Hz low-pass comes out in phase, scaled by |H|², within 0.1 % (2 % in the first and last 50 ms)', () => {
  const lp = butterworth('lowpass', 4, 40, FS);
  const x = sine(5000, 10);
  const y = sosFiltfilt(lp, x);
  const gain = magnitudeAt(lp, 10, FS) ** 2;
  const edge = 0.05 * FS;
  for (let i = 0; i < 5000; i++) {
    const tol = i < edge || i >= 5000 - edge ? 2e-2 : 1e-3;
    assert.ok(Math.abs(y[i]! - gain * x[i]!) < tol, `sample ${i}`);
  }
});

test('a DC offset leaves a high-pass as zero everywhere, edges included (steady-state initial conditions)', () => {
  const hp = butterworth('highpass', 2, 0.5, FS);
  const y = sosFiltfilt(hp, new Float64Array(5000).fill(1500));
  for (const v of y) assert.ok(Math.abs(v) < 1e-6);
});

test('a 1 mV step through the 0.5 Hz high-pass: the jump survives, and the signal settles to 0 within 2 s either side', () => {
  const hp = butterworth('highpass', 2, 0.5, FS);
  const x = new Float64Array(10 * FS);
  for (let i = 5 * FS; i < x.length; i++) x[i] = 1000; // µV
  const y = sosFiltfilt(hp, x);
  const jump = y[5 * FS]! - y[5 * FS - 1]!;
  assert.ok(Math.abs(jump - 1000) < 10, `jump ${jump} µV, expected 1000 ± 10`);
  // zero phase: the response is antisymmetric about the step
  assert.ok(Math.abs(y[5 * FS]! + y[5 * FS - 1]!) < 10);
  for (const i of [0, 2 * FS, 3 * FS, 7 * FS, 8 * FS, 10 * FS - 1]) {
    assert.ok(Math.abs(y[i]!) < 0.1 * 1000, `|y| at ${i / FS} s = ${Math.abs(y[i]!)} µV is not below 10 % of the step`);
  }
  assert.ok(Math.abs(y[0]!) < 5 && Math.abs(y[10 * FS - 1]!) < 5, 'far from the step the output is back near 0');
});

test('the 50 Hz notch (Q 30) removes mains hum by ≥ 40 dB and passes 10 Hz within 1 %', () => {
  const n = notch(50, 30, FS);
  const hum = sosFiltfilt([n], sine(5000, 50, 100));
  let peak = 0;
  for (let i = FS; i < 5000 - FS; i++) peak = Math.max(peak, Math.abs(hum[i]!));
  assert.ok(peak < 1, `50 Hz residue ${peak} of 100`);
  const ecgBand = sosFiltfilt([n], sine(5000, 10, 100));
  const x = sine(5000, 10, 100);
  for (let i = 0; i < 5000; i++) assert.ok(Math.abs(ecgBand[i]! - x[i]!) < 1);
});

test('the low-pass removes 100 Hz by the squared Butterworth attenuation (forward and backward)', () => {
  const lp = butterworth('lowpass', 4, 40, FS);
  const y = sosFiltfilt(lp, sine(5000, 100, 1000));
  const expected = 1000 * magnitudeAt(lp, 100, FS) ** 2;
  let peak = 0;
  for (let i = FS; i < 5000 - FS; i++) peak = Math.max(peak, Math.abs(y[i]!));
  assert.ok(Math.abs(peak - expected) < 0.05 * expected + 1e-3, `${peak} vs ${expected}`);
});

test('an empty cascade or an empty signal passes through unchanged', () => {
  assert.deepEqual(Array.from(sosFiltfilt([], [1, 2, 3])), [1, 2, 3]);
  assert.equal(sosFiltfilt(butterworth('lowpass', 2, 40, FS), []).length, 0);
});
