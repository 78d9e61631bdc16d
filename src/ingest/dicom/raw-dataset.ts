import { Writable } from 'node:stream';
import { Dataset } from 'dcmjs-dimse';

/**
 * Collects the P-DATA fragments of one C-STORE dataset as raw bytes, in the negotiated transfer
 * syntax, without parsing them. Past `maxBytes` it keeps counting but stops keeping.
 * `write()` always returns true: dcmjs-dimse awaits 'drain' on a false return, and an await in its
 * PDU loop would let the next PDU's fragments overtake this one's (it does not serialise PDUs).
 */
export class RawDatasetSink extends Writable {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  receivedBytes = 0;

  constructor(private readonly maxBytes: number) {
    super({ highWaterMark: Number.MAX_SAFE_INTEGER, decodeStrings: false });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.receivedBytes += chunk.length;
    if (this.kept + chunk.length <= this.maxBytes) {
      this.chunks.push(chunk);
      this.kept += chunk.length;
    } else {
      this.chunks.length = 0;
      this.kept = Number.POSITIVE_INFINITY;
    }
    callback();
  }

  /** The whole dataset, or undefined when it was larger than `maxBytes`. */
  bytes(): Buffer | undefined {
    return Number.isFinite(this.kept) ? Buffer.concat(this.chunks, this.kept) : undefined;
  }
}

/**
 * What dcmjs-dimse hands to `cStoreRequest` instead of a parsed dataset: the bytes the peer sent
 * and the transfer syntax they are in. Constructed from an empty element map, so dcmjs never
 * parses (or re-encodes) the dataset.
 */
export class RawDataset extends Dataset {
  constructor(
    readonly bytes: Buffer | undefined,
    readonly receivedBytes: number,
    transferSyntaxUid: string,
  ) {
    super({}, transferSyntaxUid);
  }
}
