import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assessQuality } from '../../../src/ecg/quality/assess-quality';
import { DEFAULT_QUALITY_THRESHOLDS as T } from '../../../src/ecg/quality/quality-thresholds';
import type { EcgRecord } from '../../../src/ecg/record';
import { syntheticEcg, type SyntheticEcgOptions } from '../signal/synthetic-ecg';

function gate(record: EcgRecord) {
  const leads = Object.entries(record.leads).map(([n, d]) => [n, d] as const);
  return assessQuality(leads, 0, record.samplesPerLead, record.sampleRateHz, T);
}

function ecg(mutate: SyntheticEcgOptions['mutate'], sampleRateHz = 500): EcgRecord {
  return syntheticEcg({ sampleRateHz, durationS: 10, mutate, offsetUv: -300 });
}

/** Deterministic pseudo-random noise in [−1, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

for (const fs of [100, 240, 250, 360, 500, 1000]) {
  test(`a clean ECG at ${fs} Hz passes the gate`, () => {
    assert.equal(gate(ecg(undefined, fs)), undefined);
  });
}

test('a flat lead (SD below 10 µV) is flat-lead, naming the lead', () => {
  const issue = gate(ecg((lead, x) => lead === 'V3' && x.fill(812)));
  assert.equal(issue?.code, 'flat-lead');
  assert.equal(issue?.lead, 'V3');
  assert.match(issue?.message ?? '', /lead V3 is flat \(SD 0 µV < 10 µV\)/);
});

test('flatness is judged against the 10 µV threshold: SD 9 µV is flat, SD 11 µV is not', () => {
  const square = (sd: number) => (lead: string, x: Float32Array) => {
    if (lead === 'I') for (let i = 0; i < x.length; i++) x[i] = i % 2 === 0 ? sd : -sd;
  };
  assert.equal(gate(ecg(square(9)))?.code, 'flat-lead');
  assert.notEqual(gate(ecg(square(11)))?.code, 'flat-lead');
});

test('a lead stuck at its maximum for 100 ms or more is saturation; 90 ms is not', () => {
  const stuck = (ms: number) => (lead: string, x: Float32Array, fs: number) => {
    if (lead !== 'II') return;
    const from = 2 * fs;
    for (let i = from; i < from + Math.round((ms / 1000) * fs); i++) x[i] = 4000;
  };
  const clipped = gate(ecg(stuck(100)));
  assert.equal(clipped?.code, 'saturation');
  assert.equal(clipped?.lead, 'II');
  assert.equal(gate(ecg(stuck(90))), undefined);
});

test('a lead stuck at its minimum is saturation too', () => {
  const issue = gate(ecg((lead, x, fs) => lead === 'aVL' && x.fill(-5000, 3 * fs, 4 * fs)));
  assert.equal(issue?.code, 'saturation');
  assert.equal(issue?.lead, 'aVL');
});

test('broadband muscle-like noise is high-frequency-noise; 20 µV of 50 Hz hum is not', () => {
  const rnd = lcg(7);
  const noisy = gate(ecg((lead, x) => {
    if (lead === 'V5') for (let i = 0; i < x.length; i++) x[i]! += 600 * rnd();
  }));
  assert.equal(noisy?.code, 'high-frequency-noise');
  assert.equal(noisy?.lead, 'V5');
  const hum = gate(ecg((_lead, x, fs) => {
    for (let i = 0; i < x.length; i++) x[i]! += 20 * Math.sin((2 * Math.PI * 50 * i) / fs);
  }));
  assert.equal(hum, undefined);
});

test('baseline wander over 4 mV peak-to-peak is baseline-wander; 2 mV is not', () => {
  const wander = (amplitude: number) => (lead: string, x: Float32Array, fs: number) => {
    if (lead === 'V1') for (let i = 0; i < x.length; i++) x[i]! += amplitude * Math.sin((2 * Math.PI * 0.15 * i) / fs);
  };
  const bad = gate(ecg(wander(2500)));
  assert.equal(bad?.code, 'baseline-wander');
  assert.equal(bad?.lead, 'V1');
  assert.equal(gate(ecg(wander(1000))), undefined);
});

test('a NaN sample is invalid-samples', () => {
  assert.equal(gate(ecg((lead, x) => lead === 'V6' && (x[100] = Number.NaN)))?.code, 'invalid-samples');
});

test('when several leads fail, the first in order is the reason and the others are counted', () => {
  const issue = gate(ecg((lead, x) => (lead === 'V2' || lead === 'V4' || lead === 'V6') && x.fill(0)));
  assert.equal(issue?.lead, 'V2');
  assert.match(issue?.message ?? '', /also 2 more lead\(s\): V4, V6/);
});

test('only the window is judged: a flat first half fails when inside the window, not when outside it', () => {
  const rec = ecg((_lead, x, fs) => x.fill(0, 0, 5 * fs));
  const leads = Object.entries(rec.leads).map(([n, d]) => [n, d] as const);
  assert.equal(assessQuality(leads, 0, 2500, 500, T)?.code, 'flat-lead');
  assert.equal(assessQuality(leads, 2500, 2500, 500, T), undefined);
});
