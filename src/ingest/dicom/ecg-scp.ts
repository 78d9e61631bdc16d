import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { association, constants, Implementation, requests, responses, Scp } from 'dcmjs-dimse';
import type { Logger } from 'pino';
import { STORE_STATUS, formatStatus, type StoreStatusAnswer } from './error-to-status';
import { CONTEXT_RESULT, negotiateAssociation, normaliseAeTitle, type AssociationPolicy } from './negotiate-association';
import { RawDataset, RawDatasetSink } from './raw-dataset';

/** One received C-STORE, as the SCP hands it to the listener: no parsing has happened yet. */
export interface ReceivedStore {
  messageId: number;
  callingAeTitle: string;
  peerAddress: string | undefined;
  affectedSopClassUid: string;
  affectedSopInstanceUid: string;
  /** The accepted presentation context's transfer syntax: what the dataset bytes are encoded in. */
  transferSyntaxUid: string;
  /** The dataset exactly as the peer sent it; undefined when larger than maxObjectBytes. */
  dataset: Buffer | undefined;
  receivedBytes: number;
}

export interface EcgScpOptions {
  policy: AssociationPolicy;
  maxObjectBytes: number;
  logger: Logger;
  /** Resolves with the status to answer; called once per C-STORE, the answer waits for it. */
  store: (received: ReceivedStore) => Promise<StoreStatusAnswer>;
  /** Tracks work in flight so shutdown can wait for answers already owed. */
  track: (work: Promise<unknown>) => void;
}

type PresentationContext = association.PresentationContext;
type CStoreRequest = requests.CStoreRequest;

/**
 * Builds the gateway's SCP class for dcmjs-dimse (one instance per TCP connection).
 *
 * Why dcmjs-dimse although its README says "not for production or clinical purposes": it is the
 * only maintained pure-JS DIMSE implementation (PS3.7/3.8 PDU and DIMSE handling, no native build),
 * and the parts a clinical deployment depends on are ours: association policy, raw-byte capture
 * (its dataset parsing is bypassed), status-after-commit, and the e2e tests against dcmtk.
 *
 * How it is used: `createStoreWritableStream` returns a sink that keeps the raw P-DATA bytes;
 * `createDatasetFromStoreWritableStream` wraps them in a `RawDataset` (no dcmjs parse); the
 * C-STORE callback is called only when `store()` has resolved, i.e. after the commit.
 */
export function createEcgScpClass(options: EcgScpOptions): new (socket: Socket) => Scp {
  const { policy, logger } = options;
  return class EcgScp extends Scp {
    private readonly ecgSocket: Socket;
    private ecgCallingAe = '';
    private readonly ecgInFlight = new Set<Promise<unknown>>();

    constructor(socket: Socket) {
      super(socket);
      this.ecgSocket = socket;
      // dcmjs-dimse's own Server sets this; its PDU idle timeout only runs while it is true.
      (this as unknown as { connected: boolean }).connected = true;
    }

    override associationRequested(assoc: association.Association): void {
      const ids = assoc.getPresentationContexts().map((c) => c.id);
      const request = {
        calledAeTitle: assoc.getCalledAeTitle(),
        callingAeTitle: assoc.getCallingAeTitle(),
        contexts: ids.map((id) => {
          const pc = assoc.getPresentationContext(id);
          return { id, abstractSyntax: pc.getAbstractSyntaxUid(), transferSyntaxes: pc.getTransferSyntaxUids() };
        }),
      };
      this.ecgCallingAe = normaliseAeTitle(request.callingAeTitle);
      const decision = negotiateAssociation(request, policy);
      const aeLog = { callingAeTitle: this.ecgCallingAe, calledAeTitle: normaliseAeTitle(request.calledAeTitle), peerAddress: this.ecgSocket.remoteAddress };
      if (!decision.accept) {
        logger.warn({ ...aeLog, rejectReason: decision.reason }, `association rejected: ${decision.detail}`);
        this.sendAssociationReject(constants.RejectResult.Permanent, constants.RejectSource.ServiceUser, decision.reason);
        return;
      }
      for (const c of decision.contexts) {
        const pc = assoc.getPresentationContext(c.id);
        if (c.result === CONTEXT_RESULT.acceptance) pc.setResult(c.result, c.transferSyntax);
        else pc.setResult(c.result);
      }
      const accepted = decision.contexts.filter((c) => c.result === CONTEXT_RESULT.acceptance);
      logger.info(
        {
          ...aeLog,
          acceptedContexts: accepted.map((c) => ({ sopClassUid: c.abstractSyntax, transferSyntaxUid: 'transferSyntax' in c ? c.transferSyntax : undefined })),
          rejectedContexts: decision.contexts.length - accepted.length,
        },
        'association accepted',
      );
      // The A-ASSOCIATE-AC states the largest PDU *we* receive; dcmjs-dimse sends min(theirs, ours),
      // which would hold a peer to its own (often 16 KB) receive size: advertise ours in full.
      assoc.setMaxPduLength(Implementation.getMaxPduLength());
      this.sendAssociationAccept();
    }

    override associationReleaseRequested(): void {
      // PS3.8 §7.2: no DIMSE response may follow the A-RELEASE-RP; answer once every owed status is sent.
      void Promise.allSettled([...this.ecgInFlight]).then(() => this.sendAssociationReleaseResponse());
    }

    override cEchoRequest(request: requests.CEchoRequest, callback: (response: responses.CEchoResponse) => void): void {
      const response = responses.CEchoResponse.fromRequest(request);
      response.setStatus(constants.Status.Success);
      logger.debug({ callingAeTitle: this.ecgCallingAe, dimseMessageId: request.getMessageId() }, 'C-ECHO');
      callback(response);
    }

    override createStoreWritableStream(_context: PresentationContext, _request: CStoreRequest): Writable {
      return new RawDatasetSink(options.maxObjectBytes);
    }

    override createDatasetFromStoreWritableStream(writable: Writable, context: PresentationContext, callback: (dataset: RawDataset) => void): void {
      const sink = writable instanceof RawDatasetSink ? writable : undefined;
      callback(new RawDataset(sink?.bytes(), sink?.receivedBytes ?? 0, context.getAcceptedTransferSyntaxUid() ?? ''));
    }

    override cStoreRequest(request: CStoreRequest, callback: (response: responses.CStoreResponse) => void): void {
      const dataset = request.getDataset();
      const raw = dataset instanceof RawDataset ? dataset : undefined;
      const answer: Promise<StoreStatusAnswer> = raw
        ? options.store({
            messageId: request.getMessageId(),
            callingAeTitle: this.ecgCallingAe,
            peerAddress: this.ecgSocket.remoteAddress,
            affectedSopClassUid: request.getAffectedSopClassUid(),
            affectedSopInstanceUid: request.getAffectedSopInstanceUid(),
            transferSyntaxUid: raw.getTransferSyntaxUid(),
            dataset: raw.bytes,
            receivedBytes: raw.receivedBytes,
          })
        : Promise.resolve({ status: STORE_STATUS.processingFailure, errorComment: 'INTERNAL dataset not captured' });
      const sent = answer
        .catch((): StoreStatusAnswer => ({ status: STORE_STATUS.processingFailure, errorComment: 'INTERNAL' }))
        .then((a) => {
          const response = responses.CStoreResponse.fromRequest(request);
          response.setStatus(a.status);
          // PS3.7 C.4.2: Error Comment only with a failure or warning status.
          if (a.status !== STORE_STATUS.success) response.setErrorComment(a.errorComment);
          logger.debug({ callingAeTitle: this.ecgCallingAe, dimseMessageId: request.getMessageId(), status: formatStatus(a.status) }, 'C-STORE-RSP');
          callback(response);
        });
      this.ecgInFlight.add(sent);
      options.track(sent);
      void sent.finally(() => this.ecgInFlight.delete(sent));
    }

    override abort(source: number, reason: number): void {
      logger.warn({ callingAeTitle: this.ecgCallingAe, abortSource: source, abortReason: reason }, 'association aborted by peer');
      this.ecgSocket.end();
    }
  };
}
