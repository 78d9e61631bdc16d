/**
 * Parses DICOM DT/DA+TM and HL7 TS/DTM values (`YYYYMMDDHHMMSS.FFFFFF±ZZZZ`, any precision
 * after the year) into ISO 8601. Returns undefined for a value that is not a date-time.
 * Without an offset the result has none (local time of the source, as sent).
 */
export function parseDicomOrHl7DateTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,6}))?([+-]\d{4})?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) return undefined;
  if (d !== undefined && (Number(d) < 1 || Number(d) > 31)) return undefined;
  let out = `${y}`;
  if (mo) out += `-${mo}`;
  if (d) out += `-${d}`;
  if (h) {
    out += `T${h}:${mi ?? '00'}:${s ?? '00'}`;
    if (frac) out += `.${frac.padEnd(3, '0')}`;
    if (tz) out += `${tz.slice(0, 3)}:${tz.slice(3)}`;
  }
  return out;
}

/** DICOM DA / HL7 date (YYYYMMDD) → YYYY-MM-DD; undefined when malformed. */
export function parseDate(value: string | undefined): string | undefined {
  const iso = parseDicomOrHl7DateTime(value?.trim().slice(0, 8));
  return iso && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(iso) ? iso : undefined;
}
