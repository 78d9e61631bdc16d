/**
 * FHIR R4 dateTime: a value with a time SHALL carry a zone offset (datatypes.html#dateTime).
 * Sources often send local wall-clock time without one (HL7 TS, DICOM DT); the configured IANA
 * zone of the sender supplies it, daylight saving included.
 */

const DATE_ONLY = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;

/** Converts an ISO 8601 value from a decoder into a FHIR dateTime; undefined when it is not one. */
export function toFhirDateTime(iso: string | undefined, timeZone: string): string | undefined {
  if (iso === undefined) return undefined;
  if (DATE_ONLY.test(iso) || WITH_OFFSET.test(iso)) return iso;
  const m = LOCAL.exec(iso);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const wallAsUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(wallAsUtc)) return undefined;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${frac ?? ''}${formatOffset(offsetOfWallTime(wallAsUtc, timeZone))}`;
}

/** The zone's UTC offset (minutes) at the instant whose local wall clock reads `wallAsUtc`. */
function offsetOfWallTime(wallAsUtc: number, timeZone: string): number {
  const first = offsetAt(wallAsUtc, timeZone);
  const second = offsetAt(wallAsUtc - first * 60_000, timeZone);
  return second;
}

function offsetAt(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch (err: unknown) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}
