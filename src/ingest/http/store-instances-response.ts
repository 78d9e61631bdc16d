/** One part's outcome, as the Store Instances Response reports it (PS3.18 §10.5.3, Annex I). */
export type InstanceOutcome =
  | { stored: true; sopClassUid: string; sopInstanceUid: string }
  | { stored: false; sopClassUid?: string; sopInstanceUid?: string; failureReason: number };

type DicomJsonAttribute = { vr: 'UI'; Value: string[] } | { vr: 'US'; Value: number[] } | { vr: 'SQ'; Value: DicomJsonObject[] };
export type DicomJsonObject = Record<string, DicomJsonAttribute>;

// PS3.6 tags, DICOM JSON keys (PS3.18 Annex F.2).
const TAG = {
  referencedSopClassUid: '00081150',
  referencedSopInstanceUid: '00081155',
  failureReason: '00081197',
  failedSopSequence: '00081198',
  referencedSopSequence: '00081199',
  otherFailuresSequence: '0008119A',
} as const;

/** PS3.18 Table I.2-2: A7xx, Refused: Out of Resources. */
const isOutOfResources = (reason: number) => reason >= 0xa700 && reason <= 0xa7ff;

function reference(sopClassUid: string, sopInstanceUid: string): DicomJsonObject {
  return {
    [TAG.referencedSopClassUid]: { vr: 'UI', Value: [sopClassUid] },
    [TAG.referencedSopInstanceUid]: { vr: 'UI', Value: [sopInstanceUid] },
  };
}

/**
 * Builds the Store Instances Response (application/dicom+json) and its HTTP status
 * (PS3.18 Table 10.5.3-1): 200 all stored; 202 some stored; 409 none stored; 503 none stored
 * and every failure was the store being unable to commit (A7xx: retry later).
 * Stored instances go in Referenced SOP Sequence without Retrieve URL (0008,1190): the gateway
 * serves no WADO-RS. A failure with both UIDs known goes in Failed SOP Sequence, one that
 * could not be identified in Other Failures Sequence.
 */
export function storeInstancesResponse(outcomes: readonly InstanceOutcome[]): { status: 200 | 202 | 409 | 503; body: DicomJsonObject } {
  const referenced: DicomJsonObject[] = [];
  const failed: DicomJsonObject[] = [];
  const other: DicomJsonObject[] = [];
  for (const o of outcomes) {
    if (o.stored) referenced.push(reference(o.sopClassUid, o.sopInstanceUid));
    else if (o.sopClassUid !== undefined && o.sopInstanceUid !== undefined) {
      failed.push({ ...reference(o.sopClassUid, o.sopInstanceUid), [TAG.failureReason]: { vr: 'US', Value: [o.failureReason] } });
    } else other.push({ [TAG.failureReason]: { vr: 'US', Value: [o.failureReason] } });
  }
  const body: DicomJsonObject = {};
  if (failed.length > 0) body[TAG.failedSopSequence] = { vr: 'SQ', Value: failed };
  if (referenced.length > 0) body[TAG.referencedSopSequence] = { vr: 'SQ', Value: referenced };
  if (other.length > 0) body[TAG.otherFailuresSequence] = { vr: 'SQ', Value: other };
  const failures = outcomes.filter((o): o is Extract<InstanceOutcome, { stored: false }> => !o.stored);
  let status: 200 | 202 | 409 | 503;
  if (failures.length === 0) status = 200;
  else if (referenced.length > 0) status = 202;
  else status = failures.every((f) => isOutOfResources(f.failureReason)) ? 503 : 409;
  return { status, body };
}
