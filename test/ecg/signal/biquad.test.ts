import assert from 'node:assert/strict';
import { test } from 'node:test';
import { butterworth, magnitudeAt, notch } from '../../../src/ecg/signal/biquad';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('second-order Butterworth low-pass equals the closed-form bilinear design', () => {
  // K = tan(π fc/fs); b0 = K²/D, a1 = 2(K² − 1)/D, a2 = (1 − √2K + K²)/D, D = 1 + √2K + K².
  const fs = 500;
  const fc = 40;
  const K = Math.tan((Math.PI * fc) / fs);
  const D = 1 + Math.SQRT2 * K + K * K;
  const [s] = butterworth('lowpass', 2, fc, fs);
  assert.ok(s);
  close(s.b0, (K * K) / D, 1e-12, 'b0');
  close(s.b1, (2 * K * K) / D, 1e-12, 'b1');
  close(s.b2, (K * K) / D, 1e-12, 'b2');
  close(s.a1, (2 * (K * K - 1)) / D, 1e-12, 'a1');
  close(s.a2, (1 - Math.SQRT2 * K + K * K) / D, 1e-12, 'a2');
});

for (const order of [1, 2, 3, 4, 5, 6]) {
  test(`order-${order} Butterworth: −3.01 dB at the cut-off, unity in the pass band, monotone stop band`, () => {
    const fs = 500;
    const lp = butterworth('lowpass', order, 40, fs);
    const hp = butterworth('highpass', order, 0.5, fs);
    assert.equal(lp.length, Math.ceil(order / 2));
    close(magnitudeAt(lp, 40, fs), Math.SQRT1_2, 1e-9, 'low-pass at cut-off');
    close(magnitudeAt(hp, 0.5, fs), Math.SQRT1_2, 1e-9, 'high-pass at cut-off');
    close(magnitudeAt(lp, 0, fs), 1, 1e-12, 'low-pass DC');
    close(magnitudeAt(hp, fs / 2, fs), 1, 1e-12, 'high-pass Nyquist');
    assert.ok(magnitudeAt(hp, 0, fs) < 1e-9, 'high-pass blocks DC');
    assert.ok(magnitudeAt(lp, 200, fs) < magnitudeAt(lp, 100, fs), 'low-pass falls off');
    // Butterworth: |H(f)|² = 1 / (1 + (Ω/Ωc)^{2N}) in the pre-warped frequency
    const warp = (f: number) => Math.tan((Math.PI * f) / fs);
    const expected = 1 / Math.sqrt(1 + (warp(80) / warp(40)) ** (2 * order));
    close(magnitudeAt(lp, 80, fs), expected, 1e-9, 'low-pass at 2 fc');
  });
}

test('the notch is zero at its frequency and has its −3 dB edges f0 / Q apart', () => {
  const fs = 500;
  const s = notch(50, 30, fs);
  assert.ok(magnitudeAt([s], 50, fs) < 1e-9);
  close(magnitudeAt([s], 0, fs), 1, 1e-12, 'DC');
  // find the −3 dB points on a fine grid
  const edges: number[] = [];
  let prev = magnitudeAt([s], 45, fs) - Math.SQRT1_2;
  for (let f = 45.0005; f < 55; f += 0.0005) {
    const cur = magnitudeAt([s], f, fs) - Math.SQRT1_2;
    if (Math.sign(cur) !== Math.sign(prev)) edges.push(f);
    prev = cur;
  }
  assert.equal(edges.length, 2);
  close(edges[1]! - edges[0]!, 50 / 30, 0.01, 'bandwidth');
});

test('refuses cut-offs at or above Nyquist', () => {
  assert.throws(() => butterworth('lowpass', 4, 250, 500), RangeError);
  assert.throws(() => notch(60, 30, 100), RangeError);
});
