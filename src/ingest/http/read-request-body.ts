import type { Readable } from 'node:stream';
import { GatewayError } from '../../errors/gateway-error';

/**
 * Buffers a request body up to `maxBytes` (the app runs with bodyParser off, so the stream is
 * untouched). Throws INGEST_TOO_LARGE (413) as soon as the declared or received length exceeds it.
 */
export async function readRequestBody(stream: Readable, declaredLength: string | undefined, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new GatewayError('INGEST_TOO_LARGE', `request body larger than ${maxBytes} bytes`, { field: 'STOW_MAX_REQUEST_BYTES' });
  if (declaredLength !== undefined && Number(declaredLength) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > maxBytes) throw tooLarge();
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}
