import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calibrationPath, panelSampleRange, paperLayout, samplePoint, tracePath } from '../../src/web/console/layout/ecg-paper-layout';

test('lays out I aVR V1 V4 / II aVL V2 V5 / III aVF V3 V6 in 62.5 mm columns of 2.5 s, then a 250 mm lead II strip', () => {
  const layout = paperLayout();
  assert.deepEqual(layout.panels.map((p) => p.lead), ['I', 'aVR', 'V1', 'V4', 'II', 'aVL', 'V2', 'V5', 'III', 'aVF', 'V3', 'V6', 'II']);
  const grid = layout.panels.filter((p) => p.kind === 'grid');
  grid.forEach((p, i) => {
    const [row, col] = [Math.floor(i / 4), i % 4];
    assert.equal(p.widthMm, 62.5);
    assert.equal(p.xMm, grid[0]!.xMm + col * 62.5);
    assert.equal(p.yMm, row * p.heightMm);
    assert.deepEqual([p.startS, p.endS], [col * 2.5, (col + 1) * 2.5]);
    assert.equal(p.baselineMm, p.yMm + p.heightMm / 2);
  });
  const rhythm = layout.panels.at(-1)!;
  assert.deepEqual([rhythm.kind, rhythm.xMm, rhythm.widthMm, rhythm.startS, rhythm.endS], ['rhythm', grid[0]!.xMm, 250, 0, 10]);
  assert.equal(rhythm.yMm, 3 * rhythm.heightMm);
  assert.ok(rhythm.xMm + rhythm.widthMm <= layout.widthMm);
  assert.equal(layout.widthMm % 5, 0, 'paper in whole 5 mm squares');
  assert.equal(layout.heightMm % 5, 0, 'paper in whole 5 mm squares');
  assert.equal(layout.calibrations.length, 4);
  for (const c of layout.calibrations) assert.ok(c.xMm + 5 <= grid[0]!.xMm, 'the pulse sits in the left margin');
});

test('maps a sample to paper at 25 mm/s and 10 mm/mV from the panel start and baseline', () => {
  const avl = paperLayout().panels.find((p) => p.lead === 'aVL')!; // 2.5–5 s
  // 1 mV at 3 s, 500 Hz: 0.5 s into the panel = 12.5 mm right, 10 mm above the baseline.
  assert.deepEqual(samplePoint(avl, 1500, 500, 1000), { xMm: avl.xMm + 12.5, yMm: avl.baselineMm - 10 });
  assert.deepEqual(samplePoint(avl, 1250, 500, -500), { xMm: avl.xMm, yMm: avl.baselineMm + 5 });
});

test("takes each panel's own 2.5 s of the record, and nothing past the record's end", () => {
  const [i, aVR] = paperLayout().panels;
  assert.deepEqual(panelSampleRange(i!, 500, 5000), { first: 0, end: 1250 });
  assert.deepEqual(panelSampleRange(aVR!, 500, 5000), { first: 1250, end: 2500 });
  assert.deepEqual(panelSampleRange(aVR!, 500, 1300), { first: 1250, end: 1300 });
  assert.deepEqual(panelSampleRange(aVR!, 500, 1000), { first: 1000, end: 1000 });
  // 2.5 s at 257 Hz is 642.5 samples: the panel starts at the first sample at or after 2.5 s.
  assert.deepEqual(panelSampleRange(aVR!, 257, 2570), { first: 643, end: 1285 });
});

test('draws the trace as a path in mm and the calibration pulse 10 mm tall, 5 mm wide', () => {
  const i = paperLayout().panels[0]!;
  const samples = new Float32Array(1250);
  samples[1] = 1000;
  samples[2] = -2000;
  const d = tracePath(i, samples, 500);
  const b = i.baselineMm;
  assert.ok(d.startsWith(`M${i.xMm.toFixed(2)} ${b.toFixed(2)}L${(i.xMm + 0.05).toFixed(2)} ${(b - 10).toFixed(2)}L${(i.xMm + 0.1).toFixed(2)} ${(b + 20).toFixed(2)}L`), d.slice(0, 80));
  assert.equal(d.split(/[ML]/).length - 1, 1250);
  assert.equal(tracePath(i, new Float32Array(0), 500), '');
  assert.equal(calibrationPath(2.5, 20), 'M1 20H2.5V10H7.5V20H9');
});
