import type { EcgRecord } from '../../record';
import { DecodeError } from '../decode-error';

// PLACEHOLDER: replaced by the real decoder in this same change set.
export function decodeAecg(_bytes: Uint8Array): EcgRecord {
  throw new DecodeError('DECODE_UNSUPPORTED_ENCODING', 'file', 'decoder not implemented yet');
}
