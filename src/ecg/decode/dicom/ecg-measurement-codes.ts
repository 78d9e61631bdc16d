/**
 * Device measurement codes → LOINC, as data (standards.md §1.4; PS3.16 CID 3227, 3228, 3229).
 * Keys are `SCHEME|code`. Carts that use SCPECG or private codes are matched on Code Meaning.
 */
export type MeasurementUnit = 'ms' | 'deg' | '/min';

export interface MeasurementTarget {
  loinc: string;
  unit: MeasurementUnit;
}

const PR: MeasurementTarget = { loinc: '8625-6', unit: 'ms' };
const QRS: MeasurementTarget = { loinc: '8633-0', unit: 'ms' };
const QT: MeasurementTarget = { loinc: '8634-8', unit: 'ms' };
const QTC: MeasurementTarget = { loinc: '8636-3', unit: 'ms' };
const P_AXIS: MeasurementTarget = { loinc: '8626-4', unit: 'deg' };
const QRS_AXIS: MeasurementTarget = { loinc: '8632-2', unit: 'deg' };
const T_AXIS: MeasurementTarget = { loinc: '8638-9', unit: 'deg' };
const HEART_RATE: MeasurementTarget = { loinc: '8867-4', unit: '/min' };

export const MEASUREMENT_BY_CODE: Readonly<Record<string, MeasurementTarget>> = {
  'MDC|2:15872': PR, // PR interval, global
  'MDC|2:16156': QRS, // QRS duration, global
  'MDC|2:16160': QT, // QT interval, global
  'MDC|2:15876': QTC, // QTc, global
  'MDC|2:15880': QTC, // QTc Bazett
  'MDC|2:15892': QTC, // QTc Fredericia
  'MDC|2:16128': P_AXIS,
  'MDC|2:16132': QRS_AXIS,
  'MDC|2:16136': T_AXIS,
  'MDC|2:16770': HEART_RATE, // MDC_ECG_HEART_RATE in partition:code form (147842 = 2 × 65536 + 16770)
  'MDC|147842': HEART_RATE, // the same, context-free, as vendor feeds send it (unverified in PS3.16)
  'LN|8625-6': PR,
  'LN|8633-0': QRS,
  'LN|8634-8': QT,
  'LN|8636-3': QTC,
  'LN|8626-4': P_AXIS,
  'LN|8632-2': QRS_AXIS,
  'LN|8638-9': T_AXIS,
  'LN|8867-4': HEART_RATE,
};

/** Code Meanings, lower case with single spaces, as SCPECG-coded carts (Mortara, ECGToolkit) write them. */
export const MEASUREMENT_BY_MEANING: Readonly<Record<string, MeasurementTarget>> = {
  'pr interval': PR,
  'qrs duration': QRS,
  'qt interval': QT,
  'qtc interval': QTC,
  qtc: QTC,
  'p axis': P_AXIS,
  'qrs axis': QRS_AXIS,
  't axis': T_AXIS,
  'heart rate': HEART_RATE,
  'ventricular rate': HEART_RATE,
};

/** UCUM codes (0040,08EA) accepted for each unit, with the factor to it. */
export const UNIT_FACTORS: Readonly<Record<MeasurementUnit, Readonly<Record<string, number>>>> = {
  ms: { ms: 1, s: 1000 },
  deg: { deg: 1, '°': 1 },
  '/min': { '/min': 1, '1/min': 1, '{beats}/min': 1, '{beat}/min': 1, '{H.B.}/min': 1, bpm: 1 },
};
