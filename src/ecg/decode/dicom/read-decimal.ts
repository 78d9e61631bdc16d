import type { DecodeWarning } from '../../record';
import { DecodeError } from '../decode-error';
import type { DicomDataset } from './dicom-dataset';
import { fieldOf } from './dicom-tags';
import { asciiOf, firstValue } from './dicom-values';
import { parseDecimalString } from './parse-decimal-string';

/**
 * Reads the first value of a DS element; `item` is the 1-based item for the field name
 * (`ChannelSensitivity (003A,0210)[3]`). Absent or empty: undefined. Usable but not conformant:
 * the number plus a DS_MALFORMED warning. Not a number: DECODE_INVALID_VALUE, or, with
 * `onInvalid: 'warn'` (optional attributes), undefined plus a DS_INVALID warning.
 */
export function readDecimal(
  ds: DicomDataset,
  tag: number,
  item: number | undefined,
  warnings: DecodeWarning[],
  onInvalid: 'throw' | 'warn' = 'throw',
): number | undefined {
  const raw = firstValue(asciiOf(ds, tag));
  if (raw === undefined) return undefined;
  const parsed = parseDecimalString(raw);
  if (parsed === undefined) {
    if (onInvalid === 'warn') {
      warnings.push({ code: 'DS_INVALID', field: fieldOf(tag, item), message: 'not a decimal string (PS3.5 §6.2); ignored' });
      return undefined;
    }
    throw new DecodeError('DECODE_INVALID_VALUE', fieldOf(tag, item), 'not a decimal string (PS3.5 §6.2)');
  }
  if (parsed.oddity !== undefined) warnings.push({ code: 'DS_MALFORMED', field: fieldOf(tag, item), message: parsed.oddity });
  return parsed.value;
}
