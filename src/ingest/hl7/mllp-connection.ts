import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { CR, FS, MllpFrameReader, VT, type MllpEvent } from './mllp-frame-reader';

/** Answers one framed message; resolves to the reply bytes (unframed), or undefined when no reply is due. */
export interface MllpMessageHandler {
  onMessage(payload: Buffer, peerAddress: string | undefined): Promise<Buffer | undefined>;
  onOversize(head: Buffer, size: number, peerAddress: string | undefined): Promise<Buffer | undefined>;
}

export interface MllpConnectionOptions {
  maxMessageBytes: number;
  idleTimeoutMs: number;
}

/** Frames read but not yet answered, beyond which reading pauses (a sender not waiting for ACKs). */
const MAX_QUEUED_FRAMES = 16;

/**
 * One MLLP connection: de-frames, answers messages strictly in arrival order (MLLP is
 * request/response), writes each reply framed, closes after MLLP_IDLE_TIMEOUT_MS of silence.
 * Nothing a peer sends can throw out of here: bad bytes are logged and dropped or NAKed.
 */
export class MllpConnection {
  private readonly reader: MllpFrameReader;
  private readonly queue: MllpEvent[] = [];
  private working = false;
  private closed = false;
  private idle: (() => void) | undefined;
  private readonly peerAddress: string | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly handler: MllpMessageHandler,
    private readonly logger: Logger,
    options: MllpConnectionOptions,
  ) {
    this.reader = new MllpFrameReader(options.maxMessageBytes);
    this.peerAddress = socket.remoteAddress;
    socket.setNoDelay(true);
    socket.setTimeout(options.idleTimeoutMs);
    socket.on('timeout', () => {
      if (this.working || this.queue.length > 0) return; // busy on our side: not idle
      this.logger.info({ idleTimeoutMs: options.idleTimeoutMs }, 'mllp connection idle, closing');
      socket.end();
    });
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (err: Error & { code?: string }) => {
      // ECONNRESET and friends: the peer went away; the 'close' handler cleans up.
      this.logger.debug({ errCode: err.code }, 'mllp socket error');
    });
    socket.on('close', () => {
      this.closed = true;
      this.queue.length = 0;
      this.idle?.();
    });
  }

  /** Resolves when every message read so far has been answered (or the socket closed). */
  drained(): Promise<void> {
    if (!this.working && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => (this.idle = resolve));
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    for (const event of this.reader.push(data)) {
      if (event.kind === 'junk') {
        this.logger.warn({ junkBytes: event.bytes }, 'mllp bytes outside a frame dropped');
        continue;
      }
      this.queue.push(event);
    }
    if (this.queue.length >= MAX_QUEUED_FRAMES) this.socket.pause();
    void this.work();
  }

  private async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (let event = this.queue.shift(); event && !this.closed; event = this.queue.shift()) {
        if (this.queue.length < MAX_QUEUED_FRAMES && this.socket.isPaused()) this.socket.resume();
        const reply = await this.answer(event);
        if (reply !== undefined && !this.closed) this.socket.write(frame(reply));
      }
    } finally {
      this.working = false;
      if (this.queue.length === 0) {
        const idle = this.idle;
        this.idle = undefined;
        idle?.();
      }
    }
  }

  private async answer(event: MllpEvent): Promise<Buffer | undefined> {
    try {
      if (event.kind === 'frame') return await this.handler.onMessage(event.payload, this.peerAddress);
      if (event.kind === 'oversize') return await this.handler.onOversize(event.head, event.size, this.peerAddress);
      return undefined;
    } catch (err: unknown) {
      // The handler answers every failure itself; reaching here is a bug. Keep serving.
      this.logger.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'mllp handler failed');
      return undefined;
    }
  }
}

/** `<VT> message <FS><CR>`. */
export function frame(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(body.length + 3);
  out[0] = VT;
  body.copy(out, 1);
  out[body.length + 1] = FS;
  out[body.length + 2] = CR;
  return out;
}
