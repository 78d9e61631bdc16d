// PS3.16 CID 3082 (Waveform Units of Measurement), UCUM codes for electrical potential, as
// multipliers to µV. "µV" (micro sign) is not UCUM but seen in the wild.
const FACTOR_BY_CODE: Readonly<Record<string, number>> = { uV: 1, mV: 1000, V: 1e6, nV: 1e-3, 'µV': 1, 'μV': 1 };
const FACTOR_BY_MEANING: Readonly<Record<string, number>> = { microvolt: 1, millivolt: 1000, volt: 1e6, nanovolt: 1e-3 };

export interface VoltageUnit {
  /** Multiplier from the unit to µV. */
  toMicrovolts: number;
  /** True when the code was not UCUM and the unit was recognised from its Code Meaning. */
  byMeaning: boolean;
}

/** The µV multiplier of a Channel Sensitivity Units code (UCUM), else of its Code Meaning; undefined if not a voltage. */
export function voltageUnit(code: string | undefined, meaning: string | undefined): VoltageUnit | undefined {
  const byCode = code === undefined ? undefined : FACTOR_BY_CODE[code.trim()];
  if (byCode !== undefined) return { toMicrovolts: byCode, byMeaning: false };
  const m = meaning?.trim().toLowerCase().replace(/s$/, '');
  const byMeaning = m === undefined ? undefined : FACTOR_BY_MEANING[m];
  return byMeaning === undefined ? undefined : { toMicrovolts: byMeaning, byMeaning: true };
}
