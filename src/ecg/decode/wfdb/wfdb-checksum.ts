/** signal(5)/header(5): the checksum is the 16-bit sum of all of a signal's samples. */
export function wfdbChecksum(raw: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < raw.length; i++) sum = (sum + (raw[i] as number)) & 0xffff;
  return sum;
}

/** Compares modulo 2^16: headers write the sum signed (-22131) or unsigned (62499). */
export function checksumMatches(raw: Int16Array, expected: number): boolean {
  return wfdbChecksum(raw) === (expected & 0xffff);
}
