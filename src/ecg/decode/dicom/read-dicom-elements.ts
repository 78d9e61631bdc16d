import { DecodeError } from '../decode-error';
import { DicomDataset, type DicomElement, type DicomSource } from './dicom-dataset';
import { fieldOf, IMPLICIT_VR_SEQUENCES, TAG } from './dicom-tags';

// PS3.5 §7.1.1: a length of FFFFFFFFH is undefined (sequences, items, encapsulated data).
const UNDEFINED_LENGTH = 0xffffffff;
// Guards recursion on hostile input; real waveform objects nest 4 deep.
const MAX_DEPTH = 32;
const TOP_LEVEL = -1;

// PS3.5 §7.1.2 Table 7.1-1: these VRs have 2 reserved bytes and a 32-bit length.
const LONG_VRS: ReadonlySet<string> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

// Every two-letter VR as a string, so a header costs a table look-up instead of a new string.
const VR_STRINGS: readonly string[] = Array.from({ length: 26 * 26 }, (_, i) =>
  String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)),
);

function where(tag: number): string {
  return tag === TOP_LEVEL ? 'DICOM data set' : fieldOf(tag);
}

/**
 * Walks data elements (PS3.5 §7) without copying values: each element records the offset and
 * length of its value; sequences (PS3.5 §7.5) are read into items. Byte-level only: no VR
 * dictionary beyond the sequences the decoder needs in Implicit VR.
 */
class ElementWalker {
  pos = 0;
  private readonly size: number;

  constructor(private readonly source: DicomSource) {
    this.size = source.bytes.length;
  }

  private u16(at: number): number {
    return this.source.view.getUint16(at, this.source.littleEndian);
  }

  private u32(at: number): number {
    return this.source.view.getUint32(at, this.source.littleEndian);
  }

  private truncated(tag: number, at: number): DecodeError {
    return new DecodeError('DECODE_TRUNCATED', where(tag), `the data ends at byte ${this.size}, inside this element (which starts at byte ${at})`);
  }

  private malformed(tag: number, at: number, rule: string): DecodeError {
    return new DecodeError('DECODE_MALFORMED', where(tag), `${rule} (at byte ${at})`);
  }

  /** Reads elements up to `end`, or up to an Item Delimitation Item when the item has undefined length. */
  readDataset(end: number, explicitVr: boolean, depth: number, delimited: boolean, parent: number): DicomDataset {
    const elements = new Map<number, DicomElement>();
    const { bytes } = this.source;
    while (this.pos < end) {
      const at = this.pos;
      if (at + 8 > this.size) {
        if (parent === TOP_LEVEL && bytes.subarray(at).every((b) => b === 0)) break; // trailing zero padding
        throw this.truncated(parent, at);
      }
      const group = this.u16(at);
      const tag = group * 0x10000 + this.u16(at + 2);
      if (group === 0xfffe) {
        this.pos = at + 8;
        if (tag !== TAG.ItemDelimitationItem) throw this.malformed(parent, at, `unexpected ${fieldOf(tag)} among data elements`);
        if (delimited) return new DicomDataset(this.source, elements);
        continue; // a delimiter inside a defined-length item is redundant, not harmful
      }
      let vr: string;
      let length: number;
      let valueAt: number;
      if (explicitVr) {
        const c0 = (bytes[at + 4] as number) - 65;
        const c1 = (bytes[at + 5] as number) - 65;
        if (c0 < 0 || c0 > 25 || c1 < 0 || c1 > 25) throw this.malformed(tag, at, 'the VR is not two upper-case letters (PS3.5 §6.2)');
        vr = VR_STRINGS[c0 * 26 + c1] as string;
        if (LONG_VRS.has(vr)) {
          if (at + 12 > this.size) throw this.truncated(tag, at);
          length = this.u32(at + 8);
          valueAt = at + 12;
        } else {
          length = this.u16(at + 6);
          valueAt = at + 8;
        }
      } else {
        length = this.u32(at + 4);
        valueAt = at + 8;
        vr = IMPLICIT_VR_SEQUENCES.has(tag) ? 'SQ' : '';
      }

      let element: DicomElement;
      if (vr === 'SQ' || (length === UNDEFINED_LENGTH && tag !== TAG.PixelData && (vr === '' || vr === 'UN'))) {
        // PS3.5 §6.2.2: UN of undefined length holds a sequence encoded in Implicit VR.
        this.pos = valueAt;
        const items = this.readSequence(tag, length, vr === 'UN' ? false : explicitVr, depth + 1);
        element = { tag, vr: 'SQ', offset: valueAt, length: this.pos - valueAt, items };
      } else if (length === UNDEFINED_LENGTH) {
        this.pos = valueAt;
        this.skipFragments(tag);
        element = { tag, vr, offset: valueAt, length: 0, items: undefined };
      } else {
        if (valueAt + length > end) {
          if (valueAt + length > this.size) throw this.truncated(tag, at);
          throw this.malformed(tag, at, 'the value runs past the end of its sequence item');
        }
        element = { tag, vr, offset: valueAt, length, items: undefined };
        this.pos = valueAt + length;
      }
      elements.set(tag, element);
    }
    if (delimited) throw this.truncated(parent, this.pos);
    return new DicomDataset(this.source, elements);
  }

  /**
   * PS3.5 §7.5: items (defined or undefined length) until the length is used or a Sequence
   * Delimitation Item. A defined length past the end of the data is read as far as the data goes,
   * so the error names the innermost element that was cut.
   */
  private readSequence(tag: number, length: number, explicitVr: boolean, depth: number): DicomDataset[] {
    if (depth > MAX_DEPTH) throw this.malformed(tag, this.pos, `sequences nest deeper than ${MAX_DEPTH}`);
    const start = this.pos;
    const defined = length !== UNDEFINED_LENGTH;
    const end = defined ? Math.min(start + length, this.size) : this.size;
    const items: DicomDataset[] = [];
    while (this.pos < end) {
      const at = this.pos;
      if (at + 8 > end) {
        if (defined && end < this.size) throw this.malformed(tag, at, 'an item header runs past the end of the sequence');
        throw this.truncated(tag, at);
      }
      const itemTag = this.u16(at) * 0x10000 + this.u16(at + 2);
      const itemLength = this.u32(at + 4);
      this.pos = at + 8;
      if (itemTag === TAG.SequenceDelimitationItem) {
        if (!defined) return items;
        continue;
      }
      if (itemTag !== TAG.Item) throw this.malformed(tag, at, `expected an Item (FFFE,E000) in the sequence, found ${fieldOf(itemTag)}`);
      if (itemLength === UNDEFINED_LENGTH) {
        items.push(this.readDataset(this.size, explicitVr, depth, true, tag));
        continue;
      }
      const itemEnd = this.pos + itemLength;
      if (itemEnd > end && end < this.size) throw this.malformed(tag, at, 'an item runs past the end of its sequence');
      items.push(this.readDataset(Math.min(itemEnd, this.size), explicitVr, depth, false, tag));
      if (itemEnd > this.size) throw this.truncated(tag, at);
      this.pos = itemEnd;
    }
    if (!defined || start + length > this.size) throw this.truncated(tag, start);
    return items;
  }

  /** PS3.5 A.4: encapsulated data is fragments of defined length closed by a Sequence Delimitation Item. */
  private skipFragments(tag: number): void {
    for (;;) {
      const at = this.pos;
      if (at + 8 > this.size) throw this.truncated(tag, at);
      const itemTag = this.u16(at) * 0x10000 + this.u16(at + 2);
      const itemLength = this.u32(at + 4);
      this.pos = at + 8;
      if (itemTag === TAG.SequenceDelimitationItem) return;
      if (itemTag !== TAG.Item || itemLength === UNDEFINED_LENGTH) throw this.malformed(tag, at, 'expected a fragment Item of defined length');
      if (this.pos + itemLength > this.size) throw this.truncated(tag, at);
      this.pos += itemLength;
    }
  }
}

/**
 * Reads the data set that starts at `start` and runs to the end of `source.bytes`.
 * Throws DECODE_TRUNCATED (the data ends inside an element) and DECODE_MALFORMED (naming the element).
 */
export function readDicomElements(source: DicomSource, start: number, explicitVr: boolean): DicomDataset {
  const walker = new ElementWalker(source);
  walker.pos = start;
  return walker.readDataset(source.bytes.length, explicitVr, 0, false, TOP_LEVEL);
}
