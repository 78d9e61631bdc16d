import { connect, type Socket } from 'node:net';
import { withControlId } from '../test/helpers/hl7-messages';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

/** Wraps an HL7 message in an MLLP frame (VT … FS CR). */
export function mllpFrame(body: Buffer): Buffer {
  return Buffer.concat([Buffer.of(VT), body, Buffer.of(FS, CR)]);
}

/** An HL7 message (wire text, segments ending in CR) under another MSH-10, MLLP-framed. */
export function framedHl7(text: string, controlId: string): Buffer {
  return mllpFrame(Buffer.from(`${withControlId(text, controlId)}\r`, 'latin1'));
}

export interface RawMllpConnection {
  /** Writes one frame and resolves with the ACK text once it arrives. */
  send: (frame: Buffer) => Promise<string>;
  close: () => void;
}

/**
 * A lean MLLP client for benchmarks: one message in flight, no HL7 parsing on the bench side, so
 * the time measured is the gateway's (node-hl7-client, used by the tests, parses every ACK).
 */
export async function openRawMllp(port: number): Promise<RawMllpConnection> {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let pending: Buffer = Buffer.alloc(0);
  let waiter: ((ack: string) => void) | undefined;
  socket.on('data', (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    const end = pending.indexOf(FS);
    if (end >= 0 && pending.length > end + 1) {
      const ack = pending.subarray(pending.indexOf(VT) + 1, end).toString('latin1');
      pending = pending.subarray(end + 2);
      waiter?.(ack);
    }
  });
  return {
    send: (frame) =>
      new Promise<string>((resolve) => {
        waiter = resolve;
        socket.write(frame);
      }),
    close: () => socket.destroy(),
  };
}
