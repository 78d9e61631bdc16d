import type { DicomDataset } from './dicom-dataset';

/** Decodes the bytes of a PN/LO/SH/ST/LT/UT value in the data set's Specific Character Set. */
export type TextDecode = (bytes: Uint8Array) => string;

/** The value bytes of an element (a view, not a copy), or undefined when absent or empty. */
export function bytesOf(ds: DicomDataset, tag: number): Uint8Array | undefined {
  const el = ds.get(tag);
  if (!el || el.length === 0 || el.items) return undefined;
  return ds.source.bytes.subarray(el.offset, el.offset + el.length);
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

/**
 * A value in the default repertoire (CS, UI, DS, IS, DA, TM, DT: PS3.5 §6.2), with the padding
 * PS3.5 allows stripped: trailing NUL (UI) and spaces, leading spaces. Undefined when empty.
 */
export function asciiOf(ds: DicomDataset, tag: number): string | undefined {
  const bytes = bytesOf(ds, tag);
  if (!bytes) return undefined;
  const s = latin1(bytes).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  return s === '' ? undefined : s;
}

/** A character-set dependent value (PN, LO, SH, ST, LT), trimmed; undefined when empty. */
export function textOf(ds: DicomDataset, tag: number, decode: TextDecode): string | undefined {
  const bytes = bytesOf(ds, tag);
  if (!bytes) return undefined;
  const s = decode(bytes).replace(/[\0\s]+$/, '').replace(/^\s+/, '');
  return s === '' ? undefined : s;
}

/** The first value of a multi-valued string (values are separated by `\`, PS3.5 §6.4). */
export function firstValue(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const i = s.indexOf('\\');
  const v = (i < 0 ? s : s.slice(0, i)).trim();
  return v === '' ? undefined : v;
}

/** A US value (index for VM > 1) in the data set's byte order. */
export function uint16Of(ds: DicomDataset, tag: number, index = 0): number | undefined {
  const el = ds.get(tag);
  if (!el || el.items || el.length < (index + 1) * 2) return undefined;
  return ds.source.view.getUint16(el.offset + index * 2, ds.source.littleEndian);
}

/** A UL value in the data set's byte order. */
export function uint32Of(ds: DicomDataset, tag: number): number | undefined {
  const el = ds.get(tag);
  if (!el || el.items || el.length < 4) return undefined;
  return ds.source.view.getUint32(el.offset, ds.source.littleEndian);
}

const NO_ITEMS: readonly DicomDataset[] = [];

/** The items of a sequence; empty when the sequence is absent or empty. */
export function itemsOf(ds: DicomDataset, tag: number): readonly DicomDataset[] {
  return ds.get(tag)?.items ?? NO_ITEMS;
}
