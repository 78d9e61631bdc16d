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

// PS3.5 §7.1.2: these explicit VRs have 2 reserved bytes and a 32-bit length.
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

function looksLikeImplicitDicom(bytes: Uint8Array): boolean {
  // PS3.10 files without preamble start with a group 0x0002 or 0x0008 element, little endian.
  // Binary signal files can start with those two bytes too, so the first element must also have
  // an even length (PS3.5 §7.1.1) and be followed by an element with a higher tag (§7.1: ascending).
  if (bytes.length < 16) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const group = view.getUint16(0, true);
  if (group !== 0x0002 && group !== 0x0008) return false;
  const vr = String.fromCharCode(bytes[4]!, bytes[5]!);
  let next: number;
  if (!/^[A-Z]{2}$/.test(vr)) next = 8 + view.getUint32(4, true);
  else if (LONG_VRS.has(vr)) next = 12 + view.getUint32(8, true);
  else next = 8 + view.getUint16(6, true);
  if (next % 2 !== 0 || next + 4 > bytes.length) return false;
  const tag = group * 0x10000 + view.getUint16(2, true);
  const nextGroup = view.getUint16(next, true);
  return nextGroup % 2 === 0 && nextGroup * 0x10000 + view.getUint16(next + 2, true) > tag;
}

// EN 1064 §5.3: Section 0 starts at byte 7 (id 0, then its length) and its pointer table's first
// entry describes Section 0 itself: id 0 and the same length, 16 + 10 bytes per section. Some
// devices (the Healforce fixture) leave out the "SCPECG" bytes but keep this structure.
function looksLikeScpSectionZero(bytes: Uint8Array): boolean {
  if (bytes.length < 32) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(10, true);
  return (
    view.getUint16(8, true) === 0 && length >= 26 && (length - 16) % 10 === 0 && 6 + length <= bytes.length &&
    view.getUint16(22, true) === 0 && view.getUint32(24, true) === length
  );
}

/**
 * Detects an ECG file's format from its content, never its name.
 * Returns undefined when nothing matches.
 */
export function detectFormat(bytes: Uint8Array): EcgFormat | undefined {
  if (bytes.length >= 132 && DICM.every((b, i) => bytes[128 + i] === b)) return 'dicom';
  // SCP-ECG: section 0 header at offset 6, its "SCPECG" reserved bytes at 16..21 (EN 1064 §5.3).
  if (bytes.length > 22 && Buffer.from(bytes.subarray(16, 22)).toString('latin1') === 'SCPECG') return 'scp-ecg';
  if (looksLikeScpSectionZero(bytes)) return 'scp-ecg';
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
