/** MLLP block characters (HL7 v2 lower-layer protocol appendix): `<VT> message <FS><CR>`. */
export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;

/** How much of an oversized frame is kept: enough for its MSH, so the NAK can name MSH-10. */
const OVERSIZE_HEAD_BYTES = 64 * 1024;

export type MllpEvent =
  /** One complete message, without the block characters. */
  | { kind: 'frame'; payload: Buffer }
  /** A message longer than the limit: its first bytes and its full size; the rest was dropped. */
  | { kind: 'oversize'; head: Buffer; size: number }
  /** Bytes outside any frame (or a frame cut short by a new `<VT>`), dropped. */
  | { kind: 'junk'; bytes: number };

/**
 * Incremental MLLP de-framer for one connection. Copes with a frame split over many chunks
 * (even between `<FS>` and `<CR>`), several frames in one chunk, and junk between frames.
 * Memory is bounded by `maxMessageBytes`: a longer frame is skipped to its end and reported.
 *
 * Written here rather than taken from @medplum/hl7 4.5.2, whose Hl7Connection only ends a frame
 * when `<FS><CR>` are the last two bytes of a chunk (several frames per chunk, or junk after a
 * frame, break it), has no size limit, and acknowledges before the application commits.
 */
export class MllpFrameReader {
  private inside = false;
  private chunks: Buffer[] = [];
  private length = 0;
  private discarding = false;
  /** `<FS>` was the last byte seen inside a frame; the frame ends if `<CR>` follows. */
  private sawFs = false;

  constructor(private readonly maxMessageBytes: number) {}

  /** Feeds bytes as they arrive; returns what they completed, in order. */
  push(data: Buffer): MllpEvent[] {
    const events: MllpEvent[] = [];
    let pos = 0;
    while (pos < data.length) {
      if (!this.inside) {
        const start = data.indexOf(VT, pos);
        const junk = (start === -1 ? data.length : start) - pos;
        if (junk > 0) events.push({ kind: 'junk', bytes: junk });
        if (start === -1) return events;
        this.begin();
        pos = start + 1;
        continue;
      }
      if (this.sawFs) {
        this.sawFs = false;
        if (data[pos] === CR) {
          events.push(this.end());
          pos += 1;
          continue;
        }
        // `<FS>` not followed by `<CR>` is content; keep it and go on.
        this.append(Buffer.of(FS));
      }
      const fs = data.indexOf(FS, pos);
      const vt = data.indexOf(VT, pos);
      if (vt !== -1 && (fs === -1 || vt < fs)) {
        // A new start block before this frame ended: the sender gave up on it (truncated frame).
        this.append(data.subarray(pos, vt));
        events.push({ kind: 'junk', bytes: this.length + 1 });
        this.begin();
        pos = vt + 1;
        continue;
      }
      if (fs === -1) {
        this.append(data.subarray(pos));
        return events;
      }
      this.append(data.subarray(pos, fs));
      pos = fs + 1;
      if (pos >= data.length) {
        this.sawFs = true;
        return events;
      }
      if (data[pos] === CR) {
        events.push(this.end());
        pos += 1;
      } else {
        this.append(Buffer.of(FS));
      }
    }
    return events;
  }

  /** Bytes of an unfinished frame held now (for diagnostics). */
  pendingBytes(): number {
    return this.length;
  }

  private begin(): void {
    this.inside = true;
    this.chunks = [];
    this.length = 0;
    this.discarding = false;
    this.sawFs = false;
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    const before = this.length;
    this.length += part.length;
    if (this.discarding) return;
    if (this.length > this.maxMessageBytes) {
      this.discarding = true;
      // Keep only the head; copy so the dropped chunks can be collected.
      const kept = Buffer.concat([...this.chunks, part.subarray(0, Math.max(0, OVERSIZE_HEAD_BYTES - before))]);
      this.chunks = [Buffer.from(kept.subarray(0, OVERSIZE_HEAD_BYTES))];
      return;
    }
    this.chunks.push(part);
  }

  private end(): MllpEvent {
    const payload = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.discarding ? undefined : this.length);
    const event: MllpEvent = this.discarding ? { kind: 'oversize', head: payload, size: this.length } : { kind: 'frame', payload };
    this.inside = false;
    this.chunks = [];
    this.length = 0;
    this.discarding = false;
    return event;
  }
}
