/** The twelve standard leads, in the conventional order. */
export const STANDARD_LEADS = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
export type StandardLead = (typeof STANDARD_LEADS)[number];

/** A lead name: one of the standard twelve, or any other label a source uses (V7, MLII, vx …). */
export type LeadName = StandardLead | (string & {});

export function isStandardLead(name: string): name is StandardLead {
  return (STANDARD_LEADS as readonly string[]).includes(name);
}
