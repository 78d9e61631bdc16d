import { Client, Message, type Connection, type InboundResponse } from 'node-hl7-client';
import { GatewayError } from '../errors/gateway-error';

/** What the gateway answered, as the sender's operator needs it. */
export interface AckReply {
  /** MSA-1: AA, AE, AR, CA, CE, CR. */
  code: string;
  /** MSA-2: the MSH-10 this ACK answers. */
  ackedControlId: string;
  /** ERR-3.1 (table 0357) and ERR-8, when an ERR segment came back. */
  errorCondition?: string;
  errorText?: string;
  /** ERR-2 components joined by `^` (segment^sequence^field^…). */
  errorLocation?: string;
}

function read(message: Message, path: string): string {
  try {
    return message.get(path).toString();
  } catch {
    return ''; // node-hl7-client throws for an absent segment; absent reads as empty, as in HL7
  }
}

function toAckReply(res: InboundResponse): AckReply {
  const message = res.getMessage();
  const reply: AckReply = { code: read(message, 'MSA.1'), ackedControlId: read(message, 'MSA.2') };
  const condition = read(message, 'ERR.3.1');
  if (condition) reply.errorCondition = condition;
  const text = read(message, 'ERR.8') || read(message, 'MSA.3');
  if (text) reply.errorText = text;
  const location = [1, 2, 3].map((c) => read(message, `ERR.2.${c}`)).filter((v) => v !== '').join('^');
  if (location) reply.errorLocation = location;
  return reply;
}

/**
 * Prepares a file's bytes for the wire, as latin1 text (bytes 1:1): a UTF-8 BOM is a file
 * artefact, not part of the message, and HL7 segments end with CR (v2.5 §2.5.1) while files on
 * disk often use LF or CRLF.
 */
export function hl7TextForWire(file: Uint8Array): string {
  const bom = file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf ? 3 : 0;
  return Buffer.from(file.buffer, file.byteOffset + bom, file.byteLength - bom)
    .toString('latin1')
    .replace(/\r\n|\n/g, '\r')
    .replace(/\r+$/, '');
}

/**
 * An MLLP sender over one connection, built on node-hl7-client: one message at a time, each
 * resolved by its ACK. node-hl7-client reports neither a refused connection nor a peer that
 * vanished (with connectionTimeout 0 it just stops), so both are bounded by timeouts here.
 */
export class MllpSender {
  private waiting: { resolve: (r: AckReply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined;

  private constructor(private readonly connection: Connection) {}

  static async connect(host: string, port: number, timeoutMs = 5_000): Promise<MllpSender> {
    const client = new Client({ host });
    let sender: MllpSender | undefined;
    // latin1 both ways: the file's bytes go on the wire unchanged, whatever its charset (MSH-18).
    const connection = client.createConnection({ port, waitAck: true, maxConnectionAttempts: 1, encoding: 'latin1' }, (res) => sender?.onAck(res));
    sender = new MllpSender(connection);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        void connection.close();
        reject(new GatewayError('SEND_PEER_UNREACHABLE', `no MLLP connection to ${host}:${port} within ${timeoutMs} ms`, { field: '--to' }));
      }, timeoutMs);
      connection.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return sender;
  }

  /** Sends one message (text with CR segment ends) and resolves with its ACK. */
  send(text: string, timeoutMs = 30_000): Promise<AckReply> {
    if (this.waiting) return Promise.reject(new Error('MllpSender sends one message at a time'));
    const message = new Message({ text });
    return new Promise<AckReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new GatewayError('SEND_PEER_UNREACHABLE', `no ACK within ${timeoutMs} ms`, { field: 'MSA' }));
      }, timeoutMs);
      this.waiting = { resolve, reject, timer };
      this.connection.sendMessage(message).catch((err: unknown) => {
        clearTimeout(timer);
        this.waiting = undefined;
        reject(err instanceof Error ? err : new Error('send failed'));
      });
    });
  }

  close(): Promise<void> {
    if (this.waiting) {
      clearTimeout(this.waiting.timer);
      this.waiting.reject(new Error('connection closed while waiting for an ACK'));
      this.waiting = undefined;
    }
    return this.connection.close();
  }

  private onAck(res: InboundResponse): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = undefined;
    clearTimeout(waiting.timer);
    waiting.resolve(toAckReply(res));
  }
}
