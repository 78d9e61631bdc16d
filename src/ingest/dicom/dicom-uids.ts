/**
 * UIDs only the network edge needs (PS3.6 Annex A, PS3.7 D.3.3.2). Which SOP classes are ECGs and
 * which transfer syntaxes can be read belong to the decoder (`ecg/decode/dicom/ecg-sop-classes.ts`,
 * `transfer-syntaxes.ts`); `accepted-syntaxes.ts` derives what the edges accept from those.
 */

/** Verification SOP Class (C-ECHO), PS3.4 Annex A. */
export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';

/**
 * Our Implementation Class UID (PS3.7 D.3.3.2), written into the File Meta of every file the
 * gateway assembles. A UUID-derived UID (PS3.5 B.2): the project has no registered root.
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.212684867976737197315058394347098140212';
/** Implementation Version Name (SH, at most 16 characters). */
export const IMPLEMENTATION_VERSION_NAME = 'ECGGW_0.1';
