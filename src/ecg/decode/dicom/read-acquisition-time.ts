import { parseDicomOrHl7DateTime } from '../../parse-datetime';
import type { DecodeWarning } from '../../record';
import type { DicomDataset } from './dicom-dataset';
import { fieldOf, TAG } from './dicom-tags';
import { asciiOf } from './dicom-values';

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([+-]\d{2}:\d{2})?$/;

/** Adds milliseconds to an ISO date-time by its own clock (no time zone conversion, no host zone). */
function addMilliseconds(iso: string, ms: number): string | undefined {
  const m = ISO.exec(iso);
  if (!m) return undefined; // date-only precision: an offset in ms means nothing
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + Number(`0.${frac ?? '0'}`) * 1000;
  const t = new Date(Math.round(base + ms));
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const millis = t.getUTCMilliseconds();
  const fraction = millis !== 0 || frac !== undefined ? `.${p(millis, 3)}` : '';
  return `${p(t.getUTCFullYear(), 4)}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}${fraction}${tz ?? ''}`;
}

function dateAndTime(ds: DicomDataset, dateTag: number, timeTag: number): string | undefined {
  const date = asciiOf(ds, dateTag);
  if (date === undefined) return undefined;
  // ACR-NEMA style "10:07:09" times still appear; DICOM TM has no separators (PS3.5 §6.2).
  const time = asciiOf(ds, timeTag)?.replace(/:/g, '') ?? '';
  return `${date}${time}`;
}

/**
 * The time of the first sample, ISO 8601: Acquisition DateTime (0008,002A), else Acquisition
 * Date+Time, else Content Date+Time, plus the group's Multiplex Group Time Offset (PS3.3
 * C.10.9.1.1). Without an offset in the value, Timezone Offset From UTC (0008,0201) is used when
 * present. A value that does not parse gives a DATETIME_MALFORMED warning and the next source is tried.
 */
export function readAcquisitionTime(ds: DicomDataset, timeOffsetMs: number | undefined, warnings: DecodeWarning[]): string | undefined {
  const sources: Array<[number, string | undefined]> = [
    [TAG.AcquisitionDateTime, asciiOf(ds, TAG.AcquisitionDateTime)],
    [TAG.AcquisitionDate, dateAndTime(ds, TAG.AcquisitionDate, TAG.AcquisitionTime)],
    [TAG.ContentDate, dateAndTime(ds, TAG.ContentDate, TAG.ContentTime)],
  ];
  let iso: string | undefined;
  for (const [tag, value] of sources) {
    if (value === undefined) continue;
    iso = parseDicomOrHl7DateTime(value);
    if (iso !== undefined) break;
    warnings.push({ code: 'DATETIME_MALFORMED', field: fieldOf(tag), message: 'not a DICOM DT/DA+TM value (PS3.5 §6.2)' });
  }
  if (iso === undefined) return undefined;

  const zone = asciiOf(ds, TAG.TimezoneOffsetFromUTC);
  if (zone !== undefined && /T/.test(iso) && !/[+-]\d{2}:\d{2}$/.test(iso) && /^[+-]\d{4}$/.test(zone)) {
    iso = `${iso}${zone.slice(0, 3)}:${zone.slice(3)}`;
  }
  if (timeOffsetMs !== undefined && timeOffsetMs !== 0) iso = addMilliseconds(iso, timeOffsetMs) ?? iso;
  return iso;
}
