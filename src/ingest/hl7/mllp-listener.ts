import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { createServer, type Server } from 'node:net';
import type { Logger } from 'pino';
import { CONFIG, ROOT_LOGGER } from '../../config/config.module';
import type { Config } from '../../config/config.schema';
import { GatewayError } from '../../errors/gateway-error';
import { HealthRegistry } from '../../web/health-registry';
import { Hl7IngestService } from './hl7-ingest.service';
import { MllpConnection } from './mllp-connection';

/** How long shutdown waits for in-flight messages to be committed and answered. */
const DRAIN_MS = 5_000;

/**
 * The HL7 v2 MLLP listener on MLLP_PORT. Registers the `mllp` readiness check (listening), and
 * on shutdown stops accepting, lets each connection finish the message it is on (commit, ACK),
 * then closes them — before the store closes.
 */
@Injectable()
export class MllpListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server: Server | undefined;
  private readonly connections = new Set<MllpConnection>();
  private readonly logger: Logger;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly ingest: Hl7IngestService,
    private readonly health: HealthRegistry,
  ) {
    this.logger = root.child({ module: 'ingest.mllp' });
  }

  async onApplicationBootstrap(): Promise<void> {
    const limit = this.config.MLLP_MAX_MESSAGE_BYTES;
    const handler = {
      onMessage: (payload: Buffer, peer: string | undefined) => this.ingest.onMessage(payload, peer),
      onOversize: (head: Buffer, size: number, peer: string | undefined) => this.ingest.onOversize(head, size, limit, peer),
    };
    const server = createServer((socket) => {
      const log = this.logger.child({ peerAddress: socket.remoteAddress, peerPort: socket.remotePort });
      const connection = new MllpConnection(socket, handler, log, { maxMessageBytes: limit, idleTimeoutMs: this.config.MLLP_IDLE_TIMEOUT_MS });
      this.connections.add(connection);
      log.debug({ connections: this.connections.size }, 'mllp connection opened');
      socket.on('close', () => {
        this.connections.delete(connection);
        log.debug({ connections: this.connections.size }, 'mllp connection closed');
      });
    });
    await new Promise<void>((resolve, reject) => {
      const refused = (err: NodeJS.ErrnoException): void =>
        reject(new GatewayError('CONFIG_INVALID', `cannot listen on MLLP_PORT ${this.config.MLLP_PORT}: ${err.code ?? err.message}`, { field: 'MLLP_PORT', cause: err }));
      server.once('error', refused);
      server.listen(this.config.MLLP_PORT, () => {
        server.off('error', refused);
        resolve();
      });
    });
    server.on('error', (err: Error & { code?: string }) => this.logger.error({ errCode: err.code }, 'mllp server error'));
    this.server = server;
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : this.config.MLLP_PORT;
    this.health.register('mllp', () => ({ ok: server.listening, detail: { port, connections: this.connections.size } }));
    this.logger.info({ mllpPort: port, maxMessageBytes: limit, idleTimeoutMs: this.config.MLLP_IDLE_TIMEOUT_MS }, 'mllp listening');
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const drained = Promise.all([...this.connections].map((c) => c.drained()));
    await Promise.race([drained, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
    for (const c of this.connections) c.end();
    const forced = setTimeout(() => this.connections.forEach((c) => c.destroy()), 1_000).unref();
    await closed;
    clearTimeout(forced);
    this.logger.info('mllp listener stopped');
  }
}
