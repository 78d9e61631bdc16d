import type { DecodeWarning } from '../../record';
import type { DicomDataset } from './dicom-dataset';
import { fieldOf } from './dicom-tags';
import { asciiOf } from './dicom-values';

// PS3.5 §9.1: components of digits without leading zeros, separated by single dots, ≤ 64 bytes.
const UID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/;

function brokenRule(uid: string): string | undefined {
  if (uid.length > 64) return 'a UID is at most 64 characters (PS3.5 §9.1)';
  if (UID.test(uid)) return undefined;
  if (/\.\.|^\.|\.$/.test(uid)) return 'a UID has no empty component (leading, trailing or double dot; PS3.5 §9.1)';
  if (/(^|\.)0\d/.test(uid)) return 'a UID component has no leading zero (PS3.5 §9.1)';
  return 'a UID holds only digits and dots (PS3.5 §9.1)';
}

/** A UI value, padding removed; a malformed one is kept as sent with a UID_MALFORMED warning. */
export function readUid(ds: DicomDataset, tag: number, warnings: DecodeWarning[]): string | undefined {
  const uid = asciiOf(ds, tag);
  if (uid === undefined) return undefined;
  const rule = brokenRule(uid);
  if (rule !== undefined) warnings.push({ code: 'UID_MALFORMED', field: fieldOf(tag), message: `${rule}; kept as sent` });
  return uid;
}
