import type { EcgRecord } from '../../record';
import { DecodeError } from '../decode-error';

export type NestedDecoder = (bytes: Uint8Array, field: string) => EcgRecord;

// PLACEHOLDER: replaced by the real decoder in this same change set.
export function decodeHl7(_bytes: Uint8Array, _decodeNested: NestedDecoder): EcgRecord {
  throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', 'file', 'decoder not implemented yet');
}
