import type { LeadName } from '../../lead-name';
import { leadFromCode, leadFromLabel } from '../../normalise-lead-name';
import type { DicomDataset } from './dicom-dataset';
import { TAG } from './dicom-tags';
import { asciiOf, itemsOf, textOf, type TextDecode } from './dicom-values';
import { voltageUnit } from './sensitivity-units';

export type ChannelClass =
  | { kind: 'lead'; lead: LeadName; standard: boolean }
  | { kind: 'other'; reason: string };

// Lead code families (PS3.16 CID 3001): MDC partition 2 ("2:n") and the legacy SCPECG scheme.
function isLeadCodeFamily(code: string | undefined, scheme: string | undefined): boolean {
  if (code === undefined) return false;
  if (scheme === 'SCPECG' || code.startsWith('5.6.3-9-')) return true;
  return scheme === 'MDC' && /^2:\d+$/.test(code);
}

// "-aVR" (MDC 2:65) is the inverted lead; label normalisation would otherwise strip the sign.
function isInvertedLabel(label: string): boolean {
  return /^\s*[-−]/.test(label);
}

function leadFromText(label: string | undefined): LeadName | undefined {
  return label === undefined || isInvertedLabel(label) ? undefined : leadFromLabel(label);
}

/**
 * Which lead a Channel Definition item (PS3.3 C.10.9.1.4.1) carries: from the Channel Source
 * Sequence code (MDC `2:n`, SCPECG `5.6.3-9-n`), else its Code Meaning, else the Channel Label.
 * Channels that are not a recognised lead are kept under their label only when they are a
 * voltage and either coded as a lead or `keepUnrecognisedVoltage` (dedicated ECG classes);
 * pressure, temperature and other channels of hemodynamic objects are `other`.
 */
export function channelToLead(channel: DicomDataset, decode: TextDecode, keepUnrecognisedVoltage: boolean): ChannelClass {
  const source = itemsOf(channel, TAG.ChannelSourceSequence)[0];
  const code = source && asciiOf(source, TAG.CodeValue);
  const scheme = source && asciiOf(source, TAG.CodingSchemeDesignator)?.toUpperCase();
  const meaning = source && textOf(source, TAG.CodeMeaning, decode);
  const label = textOf(channel, TAG.ChannelLabel, decode);

  const coded = isLeadCodeFamily(code, scheme);
  const byCode = code !== undefined && (scheme === undefined || scheme === 'MDC' || scheme === 'SCPECG') ? leadFromCode(code, scheme) : undefined;
  // A lead code that maps to no standard lead (2:65 −aVR, V7 …) must not be renamed from its text.
  const standard = byCode ?? (coded ? undefined : leadFromText(meaning) ?? leadFromText(label));
  if (standard !== undefined) return { kind: 'lead', lead: standard, standard: true };

  const units = itemsOf(channel, TAG.ChannelSensitivityUnitsSequence)[0];
  const isVoltage = units !== undefined && voltageUnit(asciiOf(units, TAG.CodeValue), textOf(units, TAG.CodeMeaning, decode)) !== undefined;
  if (!isVoltage) return { kind: 'other', reason: 'not an ECG lead (no lead code and not a voltage)' };
  if (!coded && !keepUnrecognisedVoltage) return { kind: 'other', reason: 'a voltage channel without an ECG lead code' };
  const name = meaning ?? label ?? code;
  if (name === undefined) return { kind: 'other', reason: 'an unnamed channel' };
  return { kind: 'lead', lead: name.trim(), standard: false };
}
