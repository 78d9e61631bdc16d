// v2.x ch. 2A NM: optional sign, digits, optional decimal point; leading zeros and surrounding
// blanks allowed, no exponent.
const NM = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)\s*$/;

/** Parses an NM value; undefined when it is empty or not a number. */
export function parseHl7Number(text: string): number | undefined {
  return NM.test(text) ? Number(text.trim()) : undefined;
}
