import type { Hl7Delimiters } from './hl7-delimiters';

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

/**
 * Resolves HL7 escape sequences in one leaf value (v2.x ch. 2, 2.7): `\F\ \S\ \T\ \R\ \E\`,
 * `\P\` (v2.7 truncation character), `\Xhh…\` (bytes in the message character set, read by
 * `decodeBytes`), `\.br\` (line break). Highlighting (`\H\ \N\`), other formatting commands,
 * character-set switches (`\Cxxyy\ \Mxxyyzz\`) and local escapes (`\Z…\`) carry no text and are
 * dropped. An unknown or unterminated sequence is kept as sent.
 */
export function unescapeHl7(value: string, d: Hl7Delimiters, decodeBytes: (bytes: Uint8Array) => string): string {
  let i = value.indexOf(d.escape);
  if (i < 0) return value;
  let out = value.slice(0, i);
  while (i >= 0) {
    const close = value.indexOf(d.escape, i + 1);
    if (close < 0) {
      out += value.slice(i);
      return out;
    }
    const seq = value.slice(i + 1, close);
    const replacement = resolve(seq, d, decodeBytes);
    out += replacement ?? `${d.escape}${seq}${d.escape}`;
    const next = value.indexOf(d.escape, close + 1);
    out += value.slice(close + 1, next < 0 ? value.length : next);
    i = next;
  }
  return out;
}

function resolve(seq: string, d: Hl7Delimiters, decodeBytes: (bytes: Uint8Array) => string): string | undefined {
  switch (seq) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'P':
      return d.truncation;
    case 'H':
    case 'N':
      return '';
    case '.br':
      return '\n';
  }
  const kind = seq.charAt(0);
  if (kind === 'X') {
    const hex = seq.slice(1);
    if (!HEX.test(hex)) return undefined;
    const bytes = new Uint8Array(hex.length / 2);
    for (let k = 0; k < bytes.length; k++) bytes[k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
    return decodeBytes(bytes);
  }
  if (kind === '.' || kind === 'C' || kind === 'M' || kind === 'Z') return '';
  return undefined;
}
