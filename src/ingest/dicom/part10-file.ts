/** What the File Meta Information (PS3.10 §7.1) of an assembled file says. */
export interface FileMetaFields {
  /** (0002,0002): the C-STORE Affected SOP Class UID. */
  mediaStorageSopClassUid: string;
  /** (0002,0003): the C-STORE Affected SOP Instance UID. */
  mediaStorageSopInstanceUid: string;
  /** (0002,0010): the transfer syntax the dataset bytes are encoded in (the accepted presentation context's). */
  transferSyntaxUid: string;
  /** (0002,0012) and (0002,0013): who wrote the file (us). */
  implementationClassUid: string;
  implementationVersionName: string;
  /** (0002,0016): the AE that sent the dataset, when known. */
  sourceAeTitle?: string;
}

const PREAMBLE_LENGTH = 128;

function asciiValue(value: string, pad: 0x00 | 0x20): Buffer {
  // PS3.5 §6.2: values have even length; UI pads with NUL, other string VRs with a space.
  const bytes = Buffer.from(value, 'latin1');
  return bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.from([pad])]);
}

function shortElement(element: number, vr: 'UI' | 'SH' | 'AE' | 'UL', value: Buffer): Buffer {
  // PS3.5 §7.1.2: explicit VR with a 2-byte length for these VRs.
  const header = Buffer.alloc(8);
  header.writeUInt16LE(0x0002, 0);
  header.writeUInt16LE(element, 2);
  header.write(vr, 4, 'latin1');
  header.writeUInt16LE(value.length, 6);
  return Buffer.concat([header, value]);
}

function obElement(element: number, value: Buffer): Buffer {
  // PS3.5 §7.1.2: OB has 2 reserved bytes and a 4-byte length.
  const header = Buffer.alloc(12);
  header.writeUInt16LE(0x0002, 0);
  header.writeUInt16LE(element, 2);
  header.write('OB', 4, 'latin1');
  header.writeUInt32LE(value.length, 8);
  return Buffer.concat([header, value]);
}

/**
 * Assembles a PS3.10 file: 128-byte zero preamble, "DICM", the File Meta group (always Explicit
 * VR Little Endian, PS3.10 §7.1), then the dataset bytes exactly as received: nothing in the
 * dataset is decoded, re-encoded or dropped (PS3.4 B.4.1 Level 2 storage).
 */
export function buildPart10File(meta: FileMetaFields, dataset: Uint8Array): Buffer {
  const elements = [
    obElement(0x0001, Buffer.from([0x00, 0x01])),
    shortElement(0x0002, 'UI', asciiValue(meta.mediaStorageSopClassUid, 0x00)),
    shortElement(0x0003, 'UI', asciiValue(meta.mediaStorageSopInstanceUid, 0x00)),
    shortElement(0x0010, 'UI', asciiValue(meta.transferSyntaxUid, 0x00)),
    shortElement(0x0012, 'UI', asciiValue(meta.implementationClassUid, 0x00)),
    shortElement(0x0013, 'SH', asciiValue(meta.implementationVersionName, 0x20)),
  ];
  if (meta.sourceAeTitle !== undefined && meta.sourceAeTitle.trim() !== '') {
    elements.push(shortElement(0x0016, 'AE', asciiValue(meta.sourceAeTitle.trim(), 0x20)));
  }
  const groupBody = Buffer.concat(elements);
  const groupLengthValue = Buffer.alloc(4);
  groupLengthValue.writeUInt32LE(groupBody.length, 0);
  return Buffer.concat([
    Buffer.alloc(PREAMBLE_LENGTH),
    Buffer.from('DICM', 'latin1'),
    shortElement(0x0000, 'UL', groupLengthValue),
    groupBody,
    Buffer.from(dataset.buffer, dataset.byteOffset, dataset.byteLength),
  ]);
}
