import { connect } from 'node:net';
import { ackFields } from '../../test/helpers/hl7-messages';
import { mllpFrame } from '../raw-mllp-client';

/**
 * One HL7 message over a fresh MLLP connection, answered by its ACK or failed by a reset, a
 * close or a timeout. Hand-written on net rather than MllpSender: a replica SIGKILLed mid-message
 * must fail the send at once (MllpSender notices only at its ACK timeout), which is exactly when
 * an interface engine resends.
 */
export function sendMllpOnce(port: number, text: string, timeoutMs: number): Promise<{ code: string; controlId: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (err: Error | undefined, ack?: { code: string; controlId: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(ack!);
    };
    const timer = setTimeout(() => finish(new Error(`no ACK within ${timeoutMs} ms`)), timeoutMs);
    socket.setNoDelay(true);
    socket.once('connect', () => socket.write(mllpFrame(Buffer.from(text, 'latin1'))));
    socket.on('data', (d: Buffer) => {
      buffer = Buffer.concat([buffer, d]);
      const end = buffer.indexOf('\x1c\r');
      if (end < 0) return;
      const { code, controlId } = ackFields(buffer.subarray(buffer.indexOf(0x0b) + 1, end).toString('latin1'));
      finish(undefined, { code, controlId });
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(new Error('connection closed before the ACK')));
  });
}
