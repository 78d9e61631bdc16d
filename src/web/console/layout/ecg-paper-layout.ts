/**
 * Where each lead of a standard 12-lead printout goes on ECG paper, in millimetres. Pure: the
 * console's drawing code and the tests both use it, so the geometry checked is the one drawn.
 *
 * The layout is the conventional one (AHA/ACC/HRS recommendations for the standardisation of the
 * ECG, Part I, 2007): 3 rows × 4 columns of 2.5 s each — I aVR V1 V4 / II aVL V2 V5 / III aVF V3 V6,
 * the columns showing consecutive 2.5 s of the simultaneous record — plus a 10 s lead II rhythm strip,
 * at 25 mm/s and 10 mm/mV on a 1 mm / 5 mm grid, with a 1 mV calibration pulse at each row's start.
 */

export const PAPER_SPEED_MM_PER_S = 25;
export const GAIN_MM_PER_MV = 10;
export const GRID_MINOR_MM = 1;
export const GRID_MAJOR_MM = 5;
export const COLUMN_SECONDS = 2.5;
export const RHYTHM_SECONDS = 10;
/** Row pitch: ±2 mV around the baseline before a trace reaches the next row's baseline. */
export const ROW_HEIGHT_MM = 40;
/** Left margin holding the calibration pulse (0.2 s = 5 mm wide, 1 mV = 10 mm tall). */
export const CALIBRATION_MARGIN_MM = 10;
export const CALIBRATION_WIDTH_MM = 5;
export const RIGHT_MARGIN_MM = 5;

export const GRID_ROWS: readonly (readonly string[])[] = [
  ['I', 'aVR', 'V1', 'V4'],
  ['II', 'aVL', 'V2', 'V5'],
  ['III', 'aVF', 'V3', 'V6'],
];
export const RHYTHM_LEAD = 'II';

/** One lead's box on the paper and the time window of the record it shows. */
export interface LeadPanel {
  lead: string;
  /** `grid` for the 3 × 4 panels, `rhythm` for the full-width strip. */
  kind: 'grid' | 'rhythm';
  xMm: number;
  yMm: number;
  widthMm: number;
  heightMm: number;
  /** The 0 mV line, from the paper's top. */
  baselineMm: number;
  startS: number;
  endS: number;
}

export interface PaperLayout {
  widthMm: number;
  heightMm: number;
  panels: LeadPanel[];
  /** One calibration pulse per row: x of its rising edge and the row's baseline. */
  calibrations: Array<{ xMm: number; baselineMm: number }>;
}

/** The 12 grid panels (row by row) and the rhythm strip, plus the paper's size (whole 5 mm squares). */
export function paperLayout(): PaperLayout {
  const panels: LeadPanel[] = [];
  const columnMm = COLUMN_SECONDS * PAPER_SPEED_MM_PER_S;
  GRID_ROWS.forEach((row, r) => {
    row.forEach((lead, c) => {
      const yMm = r * ROW_HEIGHT_MM;
      panels.push({
        lead,
        kind: 'grid',
        xMm: CALIBRATION_MARGIN_MM + c * columnMm,
        yMm,
        widthMm: columnMm,
        heightMm: ROW_HEIGHT_MM,
        baselineMm: yMm + ROW_HEIGHT_MM / 2,
        startS: c * COLUMN_SECONDS,
        endS: (c + 1) * COLUMN_SECONDS,
      });
    });
  });
  const rhythmY = GRID_ROWS.length * ROW_HEIGHT_MM;
  panels.push({
    lead: RHYTHM_LEAD,
    kind: 'rhythm',
    xMm: CALIBRATION_MARGIN_MM,
    yMm: rhythmY,
    widthMm: RHYTHM_SECONDS * PAPER_SPEED_MM_PER_S,
    heightMm: ROW_HEIGHT_MM,
    baselineMm: rhythmY + ROW_HEIGHT_MM / 2,
    startS: 0,
    endS: RHYTHM_SECONDS,
  });
  const rows = GRID_ROWS.length + 1;
  const calibrations = Array.from({ length: rows }, (_v, r) => ({ xMm: (CALIBRATION_MARGIN_MM - CALIBRATION_WIDTH_MM) / 2, baselineMm: r * ROW_HEIGHT_MM + ROW_HEIGHT_MM / 2 }));
  const rawWidth = CALIBRATION_MARGIN_MM + RHYTHM_SECONDS * PAPER_SPEED_MM_PER_S + RIGHT_MARGIN_MM;
  return {
    widthMm: Math.ceil(rawWidth / GRID_MAJOR_MM) * GRID_MAJOR_MM,
    heightMm: rows * ROW_HEIGHT_MM,
    panels,
    calibrations,
  };
}

/** Paper point of sample `i` (at `rateHz`, `microvolts` µV) inside `panel`. */
export function samplePoint(panel: LeadPanel, i: number, rateHz: number, microvolts: number): { xMm: number; yMm: number } {
  return {
    xMm: panel.xMm + (i / rateHz - panel.startS) * PAPER_SPEED_MM_PER_S,
    yMm: panel.baselineMm - (microvolts / 1000) * GAIN_MM_PER_MV,
  };
}

/** The sample indices [first, end) a panel shows of a record with `samples` samples at `rateHz`. */
export function panelSampleRange(panel: LeadPanel, rateHz: number, samples: number): { first: number; end: number } {
  const first = Math.min(samples, Math.max(0, Math.ceil(panel.startS * rateHz - 1e-9)));
  const end = Math.min(samples, Math.floor(panel.endS * rateHz - 1e-9) + 1);
  return { first, end: Math.max(first, end) };
}

/**
 * SVG path data of one lead in one panel, in mm (two decimals: 10 µm, far below a pixel).
 * Empty when the record is shorter than the panel's window start.
 */
export function tracePath(panel: LeadPanel, samples: ArrayLike<number>, rateHz: number): string {
  const { first, end } = panelSampleRange(panel, rateHz, samples.length);
  const parts: string[] = [];
  for (let i = first; i < end; i++) {
    const p = samplePoint(panel, i, rateHz, samples[i]!);
    parts.push(`${i === first ? 'M' : 'L'}${p.xMm.toFixed(2)} ${p.yMm.toFixed(2)}`);
  }
  return parts.join('');
}

/** The calibration pulse of one row: 1 mV (10 mm) tall, 0.2 s (5 mm) wide, rising at `xMm`, as SVG path data in mm. */
export function calibrationPath(xMm: number, baselineMm: number): string {
  const top = baselineMm - GAIN_MM_PER_MV;
  return `M${xMm - 1.5} ${baselineMm}H${xMm}V${top}H${xMm + CALIBRATION_WIDTH_MM}V${baselineMm}H${xMm + CALIBRATION_WIDTH_MM + 1.5}`;
}
