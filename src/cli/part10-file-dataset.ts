import { Dataset } from 'dcmjs-dimse';
import { readDicomIdentity, type DicomIdentity } from '../ingest/dicom/read-dicom-identity';

/**
 * A PS3.10 file as dcmjs-dimse's client sends it: the dataset bytes after the File Meta, verbatim.
 * dcmjs-dimse would otherwise read the file into dcmjs's naturalized model and write it back,
 * which drops private attributes ("Unknown name in dataset") and truncates over-long values.
 * Only sendable in the file's own transfer syntax: the caller makes sure no transcoding is asked for.
 */
export class Part10FileDataset extends Dataset {
  private readonly p10Bytes: Buffer;
  readonly identity: DicomIdentity;

  /** Throws DecodeError when the file is not a readable PS3.10 file with SOP Class/Instance UIDs. */
  constructor(file: Buffer) {
    const identity = readDicomIdentity(file);
    super({}, identity.transferSyntaxUid);
    this.identity = identity;
    // PS3.10 §7.1: the File Meta group length (0002,0000) at offset 140 gives where the dataset starts.
    this.p10Bytes = file.subarray(144 + file.readUInt32LE(140));
  }

  override getElement(tag: string): string | undefined {
    if (tag === 'SOPClassUID') return this.identity.sopClassUid;
    if (tag === 'SOPInstanceUID') return this.identity.sopInstanceUid;
    return undefined;
  }

  override getDenaturalizedDataset(): Buffer {
    return this.p10Bytes;
  }
}
