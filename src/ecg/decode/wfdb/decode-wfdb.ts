import type { EcgRecord } from '../../record';
import { DecodeError } from '../decode-error';

// PLACEHOLDER: replaced by the real decoder in this same change set.
export function decodeWfdb(_header: Uint8Array, _readCompanion: (name: string) => Uint8Array): EcgRecord {
  throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', 'file', 'decoder not implemented yet');
}
