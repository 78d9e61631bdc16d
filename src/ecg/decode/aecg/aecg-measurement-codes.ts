/** UCUM unit a measurement is reported in. */
export type MeasurementUnit = 'ms' | 'deg' | '/min';

export interface AecgMeasurementCode {
  /** LOINC code the record keys the measurement by. */
  loinc: string;
  unit: MeasurementUnit;
  /** Intervals and rates are positive; carts write 0 for "not measured". Axes may be ≤ 0. */
  positive: boolean;
}

// Global measurement annotations (aECG IG 2005 §"Global measurements": MDC codes, ISO/IEEE 11073-10101)
// → LOINC. MINDRAY_* are the BeneHeart R12's own codes for the frontal axes, which MDC names
// MDC_ECG_ANGLE_*_FRONT. The FHIR mapping reads codes from mappings/; this table only picks
// which annotations are the device's measurements.
export const AECG_MEASUREMENT_CODES: Readonly<Record<string, AecgMeasurementCode>> = {
  MDC_ECG_HEART_RATE: { loinc: '8867-4', unit: '/min', positive: true },
  MDC_ECG_TIME_PD_PR: { loinc: '8625-6', unit: 'ms', positive: true },
  MDC_ECG_TIME_PD_QRS: { loinc: '8633-0', unit: 'ms', positive: true },
  MDC_ECG_TIME_PD_QT: { loinc: '8634-8', unit: 'ms', positive: true },
  MDC_ECG_TIME_PD_QTC: { loinc: '8636-3', unit: 'ms', positive: true },
  MDC_ECG_ANGLE_P_FRONT: { loinc: '8626-4', unit: 'deg', positive: false },
  MDC_ECG_ANGLE_QRS_FRONT: { loinc: '8632-2', unit: 'deg', positive: false },
  MDC_ECG_ANGLE_T_FRONT: { loinc: '8638-9', unit: 'deg', positive: false },
  MINDRAY_ECG_P_AXIS: { loinc: '8626-4', unit: 'deg', positive: false },
  MINDRAY_ECG_QRS_AXIS: { loinc: '8632-2', unit: 'deg', positive: false },
  MINDRAY_ECG_T_AXIS: { loinc: '8638-9', unit: 'deg', positive: false },
};

/** Source units accepted for each target unit, with the factor to it. */
export const MEASUREMENT_UNIT_FACTORS: Readonly<Record<MeasurementUnit, Readonly<Record<string, number>>>> = {
  ms: { ms: 1, s: 1000 },
  deg: { deg: 1 },
  '/min': { '/min': 1, '1/min': 1, bpm: 1, '{beats}/min': 1, '{beat}/min': 1 },
};
