/**
 * The waveform SOP classes the gateway accepts (PS3.4 Annex B, PS3.6 Annex A; standards.md §1.1).
 * The DIMSE listener offers only these at association; anything else is refused there.
 */
export const ECG_WAVEFORM_SOP_CLASSES = {
  /** 12-lead ECG Waveform Storage, PS3.3 A.34.3. */
  twelveLeadEcg: '1.2.840.10008.5.1.4.1.1.9.1.1',
  /** General ECG Waveform Storage, PS3.3 A.34.4. */
  generalEcg: '1.2.840.10008.5.1.4.1.1.9.1.2',
  /** Ambulatory ECG Waveform Storage, PS3.3 A.34.5. */
  ambulatoryEcg: '1.2.840.10008.5.1.4.1.1.9.1.3',
  /** Hemodynamic Waveform Storage, PS3.3 A.34.6: only its ECG channels are decoded. */
  hemodynamic: '1.2.840.10008.5.1.4.1.1.9.2.1',
} as const;

export type EcgWaveformSopClass = (typeof ECG_WAVEFORM_SOP_CLASSES)[keyof typeof ECG_WAVEFORM_SOP_CLASSES];

const UIDS: ReadonlySet<string> = new Set(Object.values(ECG_WAVEFORM_SOP_CLASSES));

/** Whether a SOP Class UID is one the ECG decoder reads (trailing NUL/space padding tolerated). */
export function isEcgWaveformSopClass(uid: string): uid is EcgWaveformSopClass {
  return UIDS.has(uid.replace(/[\0 ]+$/, ''));
}

/**
 * Whether every channel of the class is an ECG lead. Hemodynamic objects mix ECG with pressure and
 * other channels, so there only recognised leads are kept.
 */
export function isDedicatedEcgSopClass(uid: EcgWaveformSopClass): boolean {
  return uid !== ECG_WAVEFORM_SOP_CLASSES.hemodynamic;
}
