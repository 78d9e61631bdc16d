// header(5): base time HH:MM:SS[.sss] (hours and minutes optional), base date DD/MM/YYYY.
const TIME = /^(?:(?:(\d{1,2}):)?(\d{1,2}):)?(\d{1,2})(?:\.(\d{1,3}))?$/;
const DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

const pad = (n: string | undefined): string => (n ?? '0').padStart(2, '0');

/** The record's start as ISO 8601 (local time, no offset), or undefined without both a valid date and time. */
export function wfdbBaseDateTime(baseTime: string | undefined, baseDate: string | undefined): string | undefined {
  const t = TIME.exec(baseTime ?? '');
  const d = DATE.exec(baseDate ?? '');
  if (!t || !d) return undefined;
  const [, day, month, year] = d;
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) return undefined;
  if (Number(t[1] ?? 0) > 23 || Number(t[2] ?? 0) > 59 || Number(t[3]) > 59) return undefined;
  const fraction = t[4] === undefined ? '' : `.${t[4].padEnd(3, '0')}`;
  return `${year}-${pad(month)}-${pad(day)}T${pad(t[1])}:${pad(t[2])}:${pad(t[3])}${fraction}`;
}
