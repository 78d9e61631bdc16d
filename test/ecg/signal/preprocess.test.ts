import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_QUALITY_THRESHOLDS } from '../../../src/ecg/quality/quality-thresholds';
import { STANDARD_LEADS } from '../../../src/ecg/lead-name';
import type { EcgRecord } from '../../../src/ecg/record';
import { createPreprocessor, type PreparedInput } from '../../../src/ecg/signal/preprocess';
import { createSignalCache } from '../../../src/ecg/signal/signal-cache';
import type { PreprocessSpec } from '../../../src/ecg/signal/preprocess-spec';
import { syntheticEcg } from './synthetic-ecg';

const BASE: PreprocessSpec = {
  layout: 'NCL',
  leads: STANDARD_LEADS,
  sampleRateHz: 500,
  durationS: 10,
  cropPad: { crop: 'start', pad: 'zero' },
  units: 'uV',
  filters: [],
  normalization: { type: 'none' },
};

function ready(p: PreparedInput) {
  assert.equal(p.status, 'ready', p.status === 'indeterminate' ? p.issue.message : '');
  if (p.status !== 'ready') throw new Error('unreachable');
  return p;
}

/** A record whose every lead is `f(t)` (µV) plus a per-lead constant, at `fs`. */
function record(fs: number, durationS: number, f: (t: number) => number, leads: readonly string[] = STANDARD_LEADS): EcgRecord {
  const rec = syntheticEcg({ sampleRateHz: fs, durationS, leads });
  const out: Record<string, Float32Array> = {};
  leads.forEach((name, k) => {
    const x = new Float32Array(rec.samplesPerLead);
    for (let i = 0; i < x.length; i++) x[i] = f(i / fs) + 100 * k;
    out[name] = x;
  });
  return { ...rec, leads: out };
}

const tone = (t: number) => 1000 * Math.sin(2 * Math.PI * 5 * t);

for (const fs of [100, 240, 250, 360, 500, 1000]) {
  test(`a ${fs} Hz record becomes 12 × 5000 at 500 Hz with the waveform intact (±0.5 %)`, () => {
    const p = ready(createPreprocessor(BASE, DEFAULT_QUALITY_THRESHOLDS).prepare(record(fs, 12, tone)));
    assert.equal(p.data.length, 12 * 5000);
    assert.deepEqual(p.trace.resampled === undefined, fs === 500);
    for (let l = 0; l < 12; l++) {
      for (let i = 0; i < 5000; i += 7) {
        const expected = tone(i / 500) + 100 * l;
        assert.ok(Math.abs(p.data[l * 5000 + i]! - expected) < 5, `lead ${l} sample ${i}: ${p.data[l * 5000 + i]} vs ${expected}`);
      }
    }
  });
}

test('µV → mV, then a fixed scale', () => {
  const spec: PreprocessSpec = { ...BASE, units: 'mV', normalization: { type: 'scale', factor: 2 } };
  const p = ready(createPreprocessor(spec, DEFAULT_QUALITY_THRESHOLDS).prepare(record(500, 10, tone)));
  assert.ok(Math.abs(p.data[125]! - (2 * tone(125 / 500)) / 1000) < 1e-6);
});

test('z-score per lead: every lead has mean 0 and SD 1', () => {
  const spec: PreprocessSpec = { ...BASE, normalization: { type: 'zscore-per-lead', epsilon: 1e-6 } };
  const p = ready(createPreprocessor(spec, DEFAULT_QUALITY_THRESHOLDS).prepare(syntheticEcg({ sampleRateHz: 500, durationS: 10 })));
  for (let l = 0; l < 12; l++) {
    const x = p.data.subarray(l * 5000, (l + 1) * 5000);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    assert.ok(Math.abs(mean) < 1e-4 && Math.abs(sd - 1) < 1e-4, `lead ${l}: mean ${mean}, SD ${sd}`);
  }
});

test('the declared filters run zero-phase: a 0.5 Hz high-pass removes the offset, 40 Hz low-pass keeps a 5 Hz tone', () => {
  const spec: PreprocessSpec = {
    ...BASE,
    filters: [
      { type: 'highpass', cutoffHz: 0.5, order: 2 },
      { type: 'lowpass', cutoffHz: 40, order: 4 },
      { type: 'notch', frequencyHz: 50, qualityFactor: 30 },
    ],
  };
  const hum = (t: number) => tone(t) + 200 * Math.sin(2 * Math.PI * 50 * t) + 3000;
  const p = ready(createPreprocessor(spec, DEFAULT_QUALITY_THRESHOLDS).prepare(record(500, 10, hum)));
  // Away from the ends (the 0.5 Hz high-pass settles over ~1.5 s of its time constant): within 1 %.
  for (let i = 750; i < 4250; i += 3) assert.ok(Math.abs(p.data[i]! - tone(i / 500)) < 10, `sample ${i}: ${p.data[i]}`);
});

test('NLC layout interleaves leads per sample', () => {
  const p = ready(createPreprocessor({ ...BASE, layout: 'NLC' }, DEFAULT_QUALITY_THRESHOLDS).prepare(record(500, 10, tone)));
  for (const i of [0, 1, 777]) for (let l = 0; l < 12; l++) assert.ok(Math.abs(p.data[i * 12 + l]! - (tone(i / 500) + 100 * l)) < 1e-3);
});

test('lead order follows the manifest, not the record', () => {
  const spec: PreprocessSpec = { ...BASE, leads: ['V6', 'I'], sampleRateHz: 500 };
  const rec = record(500, 10, tone);
  const p = ready(createPreprocessor(spec, DEFAULT_QUALITY_THRESHOLDS).prepare(rec));
  assert.equal(p.data[0], rec.leads['V6']![0]);
  assert.equal(p.data[5000], rec.leads['I']![0]);
});

test('an 8-lead source (I, II, V1–V6) is completed with derived III, aVR, aVL, aVF', () => {
  const eight = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  const rec = syntheticEcg({ sampleRateHz: 500, durationS: 10, leads: eight });
  const p = ready(createPreprocessor(BASE, DEFAULT_QUALITY_THRESHOLDS).prepare(rec));
  assert.deepEqual(p.trace.derivedLeads, ['III', 'aVR', 'aVL', 'aVF']);
  const I = rec.leads['I']!;
  const II = rec.leads['II']!;
  for (const i of [0, 1234, 4999]) {
    assert.ok(Math.abs(p.data[2 * 5000 + i]! - (II[i]! - I[i]!)) < 1e-3, 'III = II − I');
    assert.ok(Math.abs(p.data[3 * 5000 + i]! + (I[i]! + II[i]!) / 2) < 1e-3, 'aVR = −(I + II)/2');
  }
});

test('leads already derived by the decoder are reported as derived', () => {
  const rec = { ...syntheticEcg({ sampleRateHz: 500, durationS: 10 }), derivedLeads: ['III', 'aVR', 'aVL', 'aVF'] };
  assert.deepEqual(ready(createPreprocessor(BASE, DEFAULT_QUALITY_THRESHOLDS).prepare(rec)).trace.derivedLeads, ['III', 'aVR', 'aVL', 'aVF']);
});

test('a 2-lead Holter record (MLII, V5) is indeterminate: lead-missing, naming the leads', () => {
  const rec = syntheticEcg({ sampleRateHz: 360, durationS: 12, leads: ['MLII', 'V5'] });
  const p = createPreprocessor(BASE, DEFAULT_QUALITY_THRESHOLDS).prepare(rec);
  assert.equal(p.status, 'indeterminate');
  if (p.status !== 'indeterminate') return;
  assert.equal(p.issue.code, 'lead-missing');
  assert.match(p.issue.message, /I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V6 neither in the record nor derivable \(record has MLII, V5\)/);
});

test('too short: below minDurationS is indeterminate, between minDurationS and durationS is padded', () => {
  const spec: PreprocessSpec = { ...BASE, cropPad: { crop: 'start', pad: 'zero', minDurationS: 8 } };
  const pre = createPreprocessor(spec, DEFAULT_QUALITY_THRESHOLDS);
  const short = pre.prepare(record(250, 7.5, tone));
  assert.equal(short.status, 'indeterminate');
  if (short.status === 'indeterminate') {
    assert.equal(short.issue.code, 'too-short');
    assert.match(short.issue.message, /record lasts 7.5 s, the model needs at least 8 s/);
  }
  const p = ready(pre.prepare(record(250, 9, tone)));
  assert.equal(p.trace.paddedSamples, 500);
  assert.ok(Math.abs(p.data[4499]! - tone(4499 / 500)) < 10);
  assert.equal(p.data[4500], 0);
  assert.equal(p.data[4999], 0);
  const edge = ready(createPreprocessor({ ...spec, cropPad: { ...spec.cropPad, pad: 'edge' } }, DEFAULT_QUALITY_THRESHOLDS).prepare(record(500, 9, tone)));
  assert.equal(edge.data[4999], edge.data[4499]);
});

test('without minDurationS, anything shorter than durationS is too-short', () => {
  const p = createPreprocessor(BASE, DEFAULT_QUALITY_THRESHOLDS).prepare(record(500, 9.99, tone));
  assert.equal(p.status === 'indeterminate' && p.issue.code, 'too-short');
});

test('crop start / center / end pick the window of a longer record', () => {
  const ramp = (t: number) => t * 1000; // µV equal to milliseconds
  const rec = record(500, 14, ramp, ['I']);
  const at = (crop: 'start' | 'center' | 'end') =>
    ready(createPreprocessor({ ...BASE, leads: ['I'], cropPad: { crop, pad: 'zero' } }, { ...DEFAULT_QUALITY_THRESHOLDS, maxBaselineWanderUv: Infinity }).prepare(rec)).data[0];
  assert.equal(at('start'), 0);
  assert.equal(at('center'), 2000);
  assert.equal(at('end'), 4000);
});

test('a flat lead makes the whole ECG indeterminate: flat-lead', () => {
  const rec = syntheticEcg({ sampleRateHz: 500, durationS: 10, mutate: (lead, x) => lead === 'aVF' && x.fill(0) });
  const p = createPreprocessor(BASE, DEFAULT_QUALITY_THRESHOLDS).prepare(rec);
  assert.equal(p.status === 'indeterminate' && `${p.issue.code} ${p.issue.lead}`, 'flat-lead aVF');
});

test('a per-record cache lets two models share gate and resampling, with the same tensors as without it', () => {
  const a = createPreprocessor({ ...BASE, units: 'mV' }, DEFAULT_QUALITY_THRESHOLDS);
  const b = createPreprocessor({ ...BASE, filters: [{ type: 'highpass', cutoffHz: 0.5, order: 2 }], normalization: { type: 'zscore-per-lead', epsilon: 1e-6 } }, DEFAULT_QUALITY_THRESHOLDS);
  const rec = syntheticEcg({ sampleRateHz: 360, durationS: 10 });
  const cache = createSignalCache();
  const [a1, b1] = [ready(a.prepare(rec, cache)), ready(b.prepare(rec, cache))];
  assert.equal(cache.resampled.size, 12, 'each lead resampled once for both models');
  assert.equal(cache.gate.get(DEFAULT_QUALITY_THRESHOLDS)?.size, 12, 'each lead gated once');
  assert.deepEqual(a1.data, ready(a.prepare(rec)).data);
  assert.deepEqual(b1.data, ready(b.prepare(rec)).data);
  assert.deepEqual(ready(a.prepare(rec, cache)).data, a1.data, 'the cached resampling is not altered by the steps after it');
});

test('a cached quality verdict is reused: a flat lead stays indeterminate for the second model', () => {
  const rec = syntheticEcg({ sampleRateHz: 500, durationS: 10, mutate: (lead, x) => lead === 'V2' && x.fill(3) });
  const cache = createSignalCache();
  for (const pre of [createPreprocessor(BASE, DEFAULT_QUALITY_THRESHOLDS), createPreprocessor({ ...BASE, units: 'mV' }, DEFAULT_QUALITY_THRESHOLDS)]) {
    const p = pre.prepare(rec, cache);
    assert.equal(p.status === 'indeterminate' && `${p.issue.code} ${p.issue.lead}`, 'flat-lead V2');
  }
});
