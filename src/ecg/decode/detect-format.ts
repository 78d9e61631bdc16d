import type { EcgFormat } from '../record';

const DICM = [0x44, 0x49, 0x43, 0x4d];

function startsWithText(bytes: Uint8Array): string {
  // UTF-16 (BOM) XML, as Philips writes it: read every other byte for detection only.
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    let s = '';
    for (let i = 2; i + 1 < Math.min(bytes.length, 4096); i += 2) s += String.fromCharCode(le ? bytes[i]! : bytes[i + 1]!);
    return s;
  }
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // UTF-8 BOM
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(bytes.length - start, 4096)).toString('latin1');
}

function looksLikeImplicitDicom(bytes: Uint8Array): boolean {
  // PS3.10 files without preamble start with a group 0x0002 or 0x0008 element, little endian.
  if (bytes.length < 8) return false;
  const group = bytes[0]! | (bytes[1]! << 8);
  return group === 0x0002 || group === 0x0008;
}

/**
 * Detects an ECG file's format from its content, never its name.
 * Returns undefined when nothing matches.
 */
export function detectFormat(bytes: Uint8Array): EcgFormat | undefined {
  if (bytes.length >= 132 && DICM.every((b, i) => bytes[128 + i] === b)) return 'dicom';
  // SCP-ECG: section 0 header at offset 6, its "SCPECG" reserved bytes at 16..21 (EN 1064 §5.3).
  if (bytes.length > 22 && Buffer.from(bytes.subarray(16, 22)).toString('latin1') === 'SCPECG') return 'scp-ecg';
  const text = startsWithText(bytes);
  const trimmed = text.replace(/^[\s\x0b]+/, '');
  if (/^(MSH|FHS|BHS)\|/.test(trimmed)) return 'hl7v2';
  if (trimmed.startsWith('<')) {
    if (/<(\w+:)?AnnotatedECG[\s>]/.test(text)) return 'aecg';
    if (/<restingecgdata[\s>]/i.test(text)) return 'philips-xml';
    if (/<RestingECG[\s>]/.test(text)) return 'ge-muse';
    return undefined;
  }
  // WFDB header: optional comments, then "name[/n] nsig [fs [nsamp …]]".
  const firstLine = trimmed.split(/\r?\n/).find((l) => l.trim() !== '' && !l.startsWith('#'));
  if (firstLine && /^[\w.-]+(\/\d+)?\s+\d+(\s+[\d.]+(\/[\d.]+)?(\([\d.-]+\))?)?(\s+\d+)?/.test(firstLine.trim()) && /^[\x09\x0a\x0d\x20-\x7e]*$/.test(trimmed.slice(0, 512))) {
    return 'wfdb';
  }
  if (looksLikeImplicitDicom(bytes)) return 'dicom';
  return undefined;
}
