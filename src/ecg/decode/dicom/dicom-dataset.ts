import type * as dicomParser from 'dicom-parser';
import { tagKey } from './dicom-parser-runtime';

/** The bytes a data set was read from, and their byte order (PS3.5 §7.3). */
export interface DicomSource {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly littleEndian: boolean;
}

/** One data element: where its value lies in the source bytes, and its items if it is a sequence. */
export interface DicomElement {
  readonly tag: number;
  /** The VR as written (Explicit VR), 'SQ' for sequences, '' when Implicit VR leaves it unknown. */
  readonly vr: string;
  /** Byte offset of the value in `source.bytes`. */
  readonly offset: number;
  /** Value length in bytes (for sequences: the bytes their items took). */
  readonly length: number;
  readonly items: readonly DicomDataset[] | undefined;
}

const NO_ELEMENTS: Readonly<Record<string, dicomParser.Element>> = {};

/**
 * A data set (the top level or one sequence item) as dicom-parser read it: a thin view over its
 * elements, looked up by numeric tag, values read on demand from `source`.
 */
export class DicomDataset {
  constructor(
    readonly source: DicomSource,
    private readonly elements: Readonly<Record<string, dicomParser.Element>>,
  ) {}

  get(tag: number): DicomElement | undefined {
    const element = this.elements[tagKey(tag)];
    if (element === undefined) return undefined;
    const items = element.items?.map((item) => new DicomDataset(this.source, item.dataSet?.elements ?? NO_ELEMENTS));
    // A value dicom-parser read as items is a sequence whatever its VR (UN, or none in Implicit VR).
    return { tag, vr: items ? 'SQ' : (element.vr ?? ''), offset: element.dataOffset, length: element.length, items };
  }
}
