import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { hl7TextForWire } from '../../src/cli/mllp-sender';

/** A fixture as it goes on the wire (CR segment ends, no BOM), as latin1 text. */
export function hl7Fixture(path: string): string {
  return hl7TextForWire(readFileSync(path));
}

/** The same message under another MSH-10 (distinct messages from one real recording). */
export function withControlId(text: string, controlId: string): string {
  const end = text.indexOf('\r');
  const msh = (end < 0 ? text : text.slice(0, end)).split('|');
  msh[9] = controlId;
  return msh.join('|') + (end < 0 ? '' : text.slice(end));
}

/** The same message with MSH fields replaced (1-based MSH-n; MSH-1 is the separator). */
export function withMshFields(text: string, fields: Readonly<Record<number, string>>): string {
  const end = text.indexOf('\r');
  const msh = text.slice(0, end).split('|');
  for (const [n, v] of Object.entries(fields)) {
    while (msh.length < Number(n)) msh.push('');
    msh[Number(n) - 1] = v;
  }
  return msh.join('|') + text.slice(end);
}

/**
 * A bare TCP peer for framing cases no HL7 client produces (split frames, junk, garbage):
 * writes raw bytes and collects every MLLP reply it gets back, unframed.
 */
export async function rawMllpPeer(port: number): Promise<{ write: (bytes: Buffer | string) => Promise<void>; replies: (n: number) => Promise<string[]>; closed: Promise<void>; end: () => void }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffer = Buffer.alloc(0);
  const got: string[] = [];
  let notify: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    for (let end = buffer.indexOf('\x1c\r'); end >= 0; end = buffer.indexOf('\x1c\r')) {
      const start = buffer.indexOf(0x0b);
      got.push(buffer.subarray(start + 1, end).toString('latin1'));
      buffer = buffer.subarray(end + 2);
    }
    notify?.();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined); // a reset shows as 'close'; the test asserts on replies
  return {
    write: (bytes) => new Promise<void>((resolve, reject) => socket.write(bytes, (err) => (err ? reject(err) : resolve()))),
    replies: async (n) => {
      while (got.length < n) {
        await Promise.race([new Promise<void>((r) => (notify = r)), closed]);
        if (socket.closed && got.length < n) throw new Error(`connection closed after ${got.length} of ${n} replies`);
      }
      return got.slice(0, n);
    },
    closed,
    end: () => socket.destroy(),
  };
}

/** MSA-1, MSA-2 and ERR-3.1 of an ACK's text. */
export function ackFields(ack: string): { code: string; controlId: string; condition: string; text: string } {
  const seg = (name: string) => ack.split('\r').find((s) => s.startsWith(`${name}|`))?.split('|') ?? [];
  const msa = seg('MSA');
  const err = seg('ERR');
  return { code: msa[1] ?? '', controlId: msa[2] ?? '', condition: (err[3] ?? '').split('^')[0] ?? '', text: err[8] ?? '' };
}
