import {
  calibrationPath,
  GAIN_MM_PER_MV,
  GRID_MAJOR_MM,
  GRID_MINOR_MM,
  PAPER_SPEED_MM_PER_S,
  paperLayout,
  tracePath,
  type LeadPanel,
} from '../layout/ecg-paper-layout';
import { svg } from './element';
import type { Waveform } from './types';

/**
 * Screen pixels per paper millimetre: as large as fits `availablePx`, in quarter-pixel steps,
 * never below 2 (below that the 1 mm grid turns to a pink wash).
 */
export function pxPerMmFor(availablePx: number, widthMm: number): number {
  return Math.max(2, Math.floor((availablePx / widthMm) * 4) / 4);
}

function grid(widthMm: number, heightMm: number): SVGGElement {
  const g = svg('g', { class: 'grid' });
  // Minor lines first, major on top, so a 5 mm line is never painted over by a 1 mm one.
  for (const major of [false, true]) {
    const cls = major ? 'grid-major' : 'grid-minor';
    for (let x = 0; x <= widthMm + 1e-9; x += GRID_MINOR_MM) {
      if ((Math.round(x) % GRID_MAJOR_MM === 0) !== major) continue;
      g.append(svg('line', { class: cls, 'data-axis': 'x', 'data-mm': x, x1: x, y1: 0, x2: x, y2: heightMm }));
    }
    for (let y = 0; y <= heightMm + 1e-9; y += GRID_MINOR_MM) {
      if ((Math.round(y) % GRID_MAJOR_MM === 0) !== major) continue;
      g.append(svg('line', { class: cls, 'data-axis': 'y', 'data-mm': y, x1: 0, y1: y, x2: widthMm, y2: y }));
    }
  }
  return g;
}

function panel(p: LeadPanel, waveform: Waveform): SVGGElement {
  const samples = waveform.leads[p.lead];
  const derived = waveform.derivedLeads.includes(p.lead);
  const g = svg('g', {
    class: `lead-panel ${p.kind}`,
    'data-lead': p.lead,
    'data-kind': p.kind,
    'data-x-mm': p.xMm,
    'data-y-mm': p.yMm,
    'data-width-mm': p.widthMm,
    'data-height-mm': p.heightMm,
    'data-baseline-mm': p.baselineMm,
    'data-start-s': p.startS,
    'data-end-s': p.endS,
  });
  g.append(svg('rect', { class: 'panel-frame', x: p.xMm, y: p.yMm, width: p.widthMm, height: p.heightMm }));
  // A short bar marks where one 2.5 s column ends and the next lead starts, as on a printout.
  if (p.kind === 'grid' && p.startS > 0) g.append(svg('path', { class: 'lead-separator', d: `M${p.xMm} ${p.baselineMm - 3}V${p.baselineMm + 3}` }));
  g.append(svg('text', { class: 'lead-label', x: p.xMm + 1.5, y: p.yMm + 6 }, derived ? `${p.lead}*` : p.lead));
  if (samples) g.append(svg('path', { class: 'trace', d: tracePath(p, samples, waveform.sampleRateHz) }));
  else g.append(svg('text', { class: 'lead-missing', x: p.xMm + 10, y: p.baselineMm }, 'not recorded'));
  return g;
}

/**
 * The 12-lead ECG on pink paper as SVG in millimetre user units, scaled by `pxPerMm`. Every size a
 * test may check is on the elements: the scale on the <svg>, each panel's box and time window on
 * its <g class="lead-panel">, each grid line's position on the line.
 */
export function ecgDrawing(waveform: Waveform, availablePx: number): SVGSVGElement {
  const layout = paperLayout();
  const pxPerMm = pxPerMmFor(availablePx, layout.widthMm);
  const root = svg('svg', {
    id: 'ecg',
    xmlns: 'http://www.w3.org/2000/svg',
    viewBox: `0 0 ${layout.widthMm} ${layout.heightMm}`,
    width: layout.widthMm * pxPerMm,
    height: layout.heightMm * pxPerMm,
    'data-px-per-mm': pxPerMm,
    'data-mm-per-s': PAPER_SPEED_MM_PER_S,
    'data-mm-per-mv': GAIN_MM_PER_MV,
    'data-grid-minor-mm': GRID_MINOR_MM,
    'data-grid-major-mm': GRID_MAJOR_MM,
    'data-width-mm': layout.widthMm,
    'data-height-mm': layout.heightMm,
    'data-sample-rate-hz': waveform.sampleRateHz,
    role: 'img',
    'aria-label': '12-lead ECG, 25 mm/s, 10 mm/mV',
  });
  root.append(svg('rect', { class: 'paper', x: 0, y: 0, width: layout.widthMm, height: layout.heightMm }));
  root.append(grid(layout.widthMm, layout.heightMm));
  for (const c of layout.calibrations) root.append(svg('path', { class: 'calibration', 'data-baseline-mm': c.baselineMm, d: calibrationPath(c.xMm, c.baselineMm) }));
  for (const p of layout.panels) root.append(panel(p, waveform));
  root.append(svg('text', { class: 'paper-legend', x: layout.widthMm - 2, y: layout.heightMm - 2, 'text-anchor': 'end' }, `${PAPER_SPEED_MM_PER_S} mm/s · ${GAIN_MM_PER_MV} mm/mV · ${waveform.sampleRateHz} Hz`));
  return root;
}
