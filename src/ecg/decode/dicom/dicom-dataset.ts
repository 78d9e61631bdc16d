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

/** A data set (the top level or one sequence item): its elements by numeric tag, values read on demand. */
export class DicomDataset {
  constructor(
    readonly source: DicomSource,
    readonly elements: ReadonlyMap<number, DicomElement>,
  ) {}

  get(tag: number): DicomElement | undefined {
    return this.elements.get(tag);
  }
}
