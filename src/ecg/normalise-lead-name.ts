import { STANDARD_LEADS, type LeadName, type StandardLead } from './lead-name';

// PS3.16 CID 3001 (MDC, decimal "partition:code"); standards.md §0. 2:65 (−aVR) is not aVR.
const MDC_CODES: Readonly<Record<string, StandardLead>> = {
  '2:1': 'I', '2:2': 'II', '2:61': 'III', '2:62': 'aVR', '2:63': 'aVL', '2:64': 'aVF',
  '2:112': 'aVR', '2:113': 'aVL', '2:114': 'aVF',
  '2:3': 'V1', '2:4': 'V2', '2:5': 'V3', '2:6': 'V4', '2:7': 'V5', '2:8': 'V6',
};

// SCP-ECG lead codes as DICOM's legacy SCPECG scheme writes them ("5.6.3-9-1" = lead I).
const SCPECG_CODES: Readonly<Record<string, StandardLead>> = {
  '5.6.3-9-1': 'I', '5.6.3-9-2': 'II', '5.6.3-9-61': 'III', '5.6.3-9-62': 'aVR', '5.6.3-9-63': 'aVL',
  '5.6.3-9-64': 'aVF', '5.6.3-9-3': 'V1', '5.6.3-9-4': 'V2', '5.6.3-9-5': 'V3', '5.6.3-9-6': 'V4',
  '5.6.3-9-7': 'V5', '5.6.3-9-8': 'V6',
};

const BY_UPPER: ReadonlyMap<string, StandardLead> = new Map(STANDARD_LEADS.map((l) => [l.toUpperCase(), l]));

/**
 * Maps a coded lead (MDC or SCPECG code value) to a standard lead, or undefined.
 */
export function leadFromCode(code: string, scheme?: string): StandardLead | undefined {
  const c = code.trim();
  const s = (scheme ?? '').trim().toUpperCase();
  if (s === 'SCPECG' || c.startsWith('5.6.3-9-')) return SCPECG_CODES[c];
  return MDC_CODES[c];
}

/**
 * Normalises a free-text lead label to a standard lead name: "Lead I (Einthoven)", "lead ii",
 * "MDC_ECG_LEAD_AVR", "AVR", "V1", "i". Returns undefined when the label is not a standard lead.
 */
export function leadFromLabel(label: string): StandardLead | undefined {
  let t = label.trim().toUpperCase();
  // An inverted lead (−aVR, "-aVR", MDC 2:65) is a different signal, never the lead itself.
  if (/^[-−]/.test(t)) return undefined;
  t = t.replace(/^MDC_ECG_LEAD_/, '');
  t = t.replace(/\(.*\)/g, '').trim(); // "Lead I (Einthoven)" → "LEAD I"
  t = t.replace(/^LEAD\s*/, '').trim();
  t = t.replace(/[\s_-]+/g, '');
  return BY_UPPER.get(t);
}

/** The name a lead is stored under: the standard name when recognised, else the trimmed label. */
export function normaliseLeadName(label: string, code?: string, scheme?: string): LeadName {
  return (code !== undefined ? leadFromCode(code, scheme) : undefined) ?? leadFromLabel(label) ?? label.trim();
}
