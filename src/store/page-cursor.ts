import { GatewayError } from '../errors/gateway-error';

/** Opaque list cursor: the position of the last row of a page (adapters order rows by an insertion sequence). */
export function encodePageCursor(position: number): string {
  return Buffer.from(`p${position}`, 'utf8').toString('base64url');
}

/** Throws API_BAD_REQUEST (field `cursor`) for anything `encodePageCursor` did not produce. */
export function decodePageCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^p(\d{1,15})$/.exec(text);
  if (!match) throw new GatewayError('API_BAD_REQUEST', 'cursor is not one this API returned', { field: 'cursor' });
  return Number(match[1]);
}
