import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { CONFIG, ROOT_LOGGER } from '../../config/config.module';
import type { Config } from '../../config/config.schema';
import { GatewayError } from '../../errors/gateway-error';
import { HealthRegistry } from '../../web/health-registry';
import { ACCEPTED_ABSTRACT_SYNTAXES, TRANSFER_SYNTAX_PREFERENCE } from './accepted-syntaxes';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './dicom-uids';
import { createEcgScpClass, type ReceivedStore } from './ecg-scp';
import { STORE_STATUS, errorToStoreStatus, formatStatus, type StoreStatusAnswer } from './error-to-status';
import { parseAllowedAeTitles } from './negotiate-association';
import { buildPart10File } from './part10-file';
import { configureDimseLibrary } from './configure-dimse-library';
import { StoreDicomInstanceService } from './store-dicom-instance.service';

/** How long shutdown waits for C-STORE answers already owed (their commits are in flight). */
const DRAIN_MS = 10_000;

/**
 * The DIMSE listener on DICOM_PORT: C-ECHO, and C-STORE of ECG waveforms answered after commit.
 * A plain `net.Server` creates one SCP per connection (what dcmjs-dimse's `Server` does) because
 * that `Server` can neither report the port it bound (DICOM_PORT=0) nor drain on shutdown.
 */
@Injectable()
export class DimseListenerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log: Logger;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private boundPort: number | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly health: HealthRegistry,
    private readonly instances: StoreDicomInstanceService,
  ) {
    this.log = rootLogger.child({ module: 'ingest.dicom' });
    this.health.register('dicom', () => ({ ok: this.server?.listening === true, detail: { port: this.boundPort ?? null } }));
  }

  /** The TCP port the listener is bound to (DICOM_PORT, or the OS's pick for 0). */
  get port(): number | undefined {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    configureDimseLibrary(this.log);
    const Scp = createEcgScpClass({
      policy: {
        aeTitle: this.config.DICOM_AE_TITLE,
        allowedCallingAeTitles: parseAllowedAeTitles(this.config.DICOM_ALLOWED_AE_TITLES),
        abstractSyntaxes: ACCEPTED_ABSTRACT_SYNTAXES,
        transferSyntaxPreference: TRANSFER_SYNTAX_PREFERENCE,
      },
      maxObjectBytes: this.config.DICOM_MAX_OBJECT_BYTES,
      logger: this.log,
      store: (received) => this.storeReceived(received),
      track: (work) => {
        this.inFlight.add(work);
        void work.finally(() => this.inFlight.delete(work));
      },
    });
    const server = createServer((socket) => {
      // The C-STORE-RSP is one small PDU the peer waits for: never hold it back for Nagle's algorithm.
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      // The SCP wires itself to the socket; a socket error must never reach the process.
      socket.on('error', (err) => this.log.debug({ peerAddress: socket.remoteAddress, err: err.message }, 'DICOM connection error'));
      const scp = new Scp(socket);
      scp.on('networkError', (err: unknown) => {
        this.log.warn({ peerAddress: socket.remoteAddress, err: err instanceof Error ? err.message : 'network error' }, 'DICOM network error');
        socket.destroy();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new GatewayError('CONFIG_INVALID', `cannot listen on DICOM_PORT ${this.config.DICOM_PORT}: ${err.code ?? err.message}`, { field: 'DICOM_PORT', cause: err })),
      );
      server.listen(this.config.DICOM_PORT, () => resolve());
    });
    server.on('error', (err) => this.log.error({ err: err.message }, 'DICOM listener error'));
    this.boundPort = (server.address() as AddressInfo).port;
    this.log.info({ dicomPort: this.boundPort, aeTitle: this.config.DICOM_AE_TITLE, allowList: this.config.DICOM_ALLOWED_AE_TITLES !== undefined }, 'DICOM listener up');
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.close();
    // Answers already owed go out (their commits finish) before the store closes.
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
    for (const s of this.sockets) s.destroy();
    this.log.info({}, 'DICOM listener closed');
  }

  /** PS3.10 file from the raw dataset, then validate + commit; the status is decided here, once. */
  private async storeReceived(received: ReceivedStore): Promise<StoreStatusAnswer> {
    const logCtx = {
      callingAeTitle: received.callingAeTitle,
      dimseMessageId: received.messageId,
      sopClassUid: received.affectedSopClassUid,
      transferSyntaxUid: received.transferSyntaxUid,
      bytes: received.receivedBytes,
    };
    if (received.dataset === undefined) {
      const answer = errorToStoreStatus(new GatewayError('INGEST_TOO_LARGE', `dataset larger than DICOM_MAX_OBJECT_BYTES (${this.config.DICOM_MAX_OBJECT_BYTES})`, { field: 'DICOM_MAX_OBJECT_BYTES' }));
      this.log.warn({ ...logCtx, status: formatStatus(answer.status), code: 'INGEST_TOO_LARGE' }, 'C-STORE refused');
      return answer;
    }
    const file = buildPart10File(
      {
        mediaStorageSopClassUid: received.affectedSopClassUid,
        mediaStorageSopInstanceUid: received.affectedSopInstanceUid,
        transferSyntaxUid: received.transferSyntaxUid,
        implementationClassUid: IMPLEMENTATION_CLASS_UID,
        implementationVersionName: IMPLEMENTATION_VERSION_NAME,
        sourceAeTitle: received.callingAeTitle,
      },
      received.dataset,
    );
    const result = await this.instances.store({
      protocol: 'dimse',
      peer: { callingAeTitle: received.callingAeTitle, ...(received.peerAddress === undefined ? {} : { address: received.peerAddress }) },
      file,
      expected: { sopClassUid: received.affectedSopClassUid, sopInstanceUid: received.affectedSopInstanceUid },
      receivedAt: new Date(),
    });
    const timing = { validateMs: round(result.validateMs), commitMs: round(result.commitMs) };
    if (result.stored) {
      this.log.info({ ...logCtx, ...timing, messageId: result.outcome.id, disposition: result.outcome.disposition, status: formatStatus(STORE_STATUS.success) }, 'C-STORE stored');
      return { status: STORE_STATUS.success, errorComment: '' };
    }
    const answer = errorToStoreStatus(result.error);
    this.log.warn(
      { ...logCtx, ...timing, messageId: result.refusedAs ?? null, status: formatStatus(answer.status), code: result.error.code, field: result.error.field ?? null },
      'C-STORE refused',
    );
    return answer;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
