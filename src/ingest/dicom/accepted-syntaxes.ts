import { ECG_WAVEFORM_SOP_CLASSES, isEcgWaveformSopClass } from '../../ecg/decode/dicom/ecg-sop-classes';
import { READABLE_TRANSFER_SYNTAXES } from '../../ecg/decode/dicom/transfer-syntaxes';
import { VERIFICATION_SOP_CLASS } from './dicom-uids';

/** The storage SOP classes the gateway accepts: exactly those the decoder reads. */
export const isEcgStorageSopClass: (uid: string) => boolean = isEcgWaveformSopClass;

/**
 * Rank of every transfer syntax the decoder reads, most preferred first. Explicit VR LE first
 * (keeps the VRs the sender wrote, no inflate at every decode), then Implicit VR LE (the default
 * every implementation supports, PS3.5 §10.1), Deflated, and the retired Explicit VR Big Endian.
 * Keyed by the decoder's own list, so a syntax it learns to read cannot be left out here.
 */
const RANK: Readonly<Record<keyof typeof READABLE_TRANSFER_SYNTAXES, number>> = {
  explicitVrLittleEndian: 0,
  implicitVrLittleEndian: 1,
  deflatedExplicitVrLittleEndian: 2,
  explicitVrBigEndian: 3,
};

/** Transfer syntaxes accepted in a presentation context, most preferred first. */
export const TRANSFER_SYNTAX_PREFERENCE: readonly string[] = (Object.keys(RANK) as Array<keyof typeof RANK>)
  .sort((a, b) => RANK[a] - RANK[b])
  .map((k) => READABLE_TRANSFER_SYNTAXES[k]);

/** Abstract syntaxes a DIMSE association may carry: Verification plus the ECG storage classes. */
export const ACCEPTED_ABSTRACT_SYNTAXES: readonly string[] = [VERIFICATION_SOP_CLASS, ...Object.values(ECG_WAVEFORM_SOP_CLASSES)];
