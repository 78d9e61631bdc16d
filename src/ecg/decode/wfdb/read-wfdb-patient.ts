import type { PatientIdentity } from '../../record';

// Comment conventions seen in PhysioNet headers: "# sex: female" (PTB), "#<sex>: F" (LUDB).
const SEX_COMMENT = /^<?sex>?\s*:\s*(female|male|f|m)\b/i;

/**
 * What a WFDB header says about the patient: only the sex, from a `sex:` comment. Diagnoses,
 * age and MIT-BIH's positional "69 M …" comments are left out: a header has no patient id to
 * hang them on, and diagnoses are labels, not identity.
 */
export function readWfdbPatient(comments: readonly string[]): PatientIdentity {
  for (const comment of comments) {
    const m = SEX_COMMENT.exec(comment);
    if (m?.[1]) return { sex: m[1].toUpperCase().startsWith('F') ? 'F' : 'M' };
  }
  return {};
}
