import { TRANSFER_SYNTAX, VERIFICATION_SOP_CLASS } from './dicom-uids';

/**
 * The storage SOP classes the gateway accepts: the ECG waveform classes (PS3.4 B.5, PS3.3 A.34)
 * incl. Hemodynamic, whose carts put 12-lead ECGs in it too.
 * LOCAL COPY until the decoder's `ecg-sop-classes.ts` lands; then this re-exports it.
 */
export const ECG_STORAGE_SOP_CLASSES: readonly string[] = [
  '1.2.840.10008.5.1.4.1.1.9.1.1', // 12-lead ECG Waveform Storage
  '1.2.840.10008.5.1.4.1.1.9.1.2', // General ECG Waveform Storage
  '1.2.840.10008.5.1.4.1.1.9.1.3', // Ambulatory ECG Waveform Storage
  '1.2.840.10008.5.1.4.1.1.9.2.1', // Hemodynamic Waveform Storage
];

export function isEcgStorageSopClass(uid: string): boolean {
  return ECG_STORAGE_SOP_CLASSES.includes(uid);
}

/**
 * Transfer syntaxes accepted in a presentation context, most preferred first. Explicit VR LE
 * first (keeps the VRs the sender wrote, no inflate at every decode), then Implicit VR LE (the
 * default every implementation supports, PS3.5 §10.1), then Deflated Explicit VR LE.
 * Only syntaxes the decoder reads are listed, so whatever is accepted can be decoded.
 */
export const TRANSFER_SYNTAX_PREFERENCE: readonly string[] = [
  TRANSFER_SYNTAX.explicitVrLittleEndian,
  TRANSFER_SYNTAX.implicitVrLittleEndian,
  TRANSFER_SYNTAX.deflatedExplicitVrLittleEndian,
];

/** Abstract syntaxes a DIMSE association may carry: Verification plus the ECG storage classes. */
export const ACCEPTED_ABSTRACT_SYNTAXES: readonly string[] = [VERIFICATION_SOP_CLASS, ...ECG_STORAGE_SOP_CLASSES];
