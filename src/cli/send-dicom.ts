import { readFileSync } from 'node:fs';
import { association, Client, constants, requests, type responses } from 'dcmjs-dimse';
import pino, { type Logger } from 'pino';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import { configureDimseLibrary } from '../ingest/dicom/configure-dimse-library';
import { formatStatus } from '../ingest/dicom/error-to-status';
import { Part10FileDataset } from './part10-file-dataset';

export interface SendDicomOptions {
  /** The gateway's AE title (DICOM_AE_TITLE); default ECGGW. */
  calledAeTitle?: string;
  /** Ours; default ECGGW-SEND. */
  callingAeTitle?: string;
  /** Whole exchange, connect to release; default 30 s. */
  timeoutMs?: number;
  /** Where dcmjs-dimse's own log goes; default nowhere (the CLI prints one line per file). */
  logger?: Logger;
}

export type SendDicomResult =
  /** C-STORE-RSP Success (0000) or Warning (0001, Bxxx, 0107, 0116): the peer stored it. */
  | { outcome: 'stored'; status: number; statusHex: string; errorComment?: string }
  /** Any other C-STORE-RSP status: the peer did not store it. */
  | { outcome: 'failed'; status: number; statusHex: string; errorComment?: string }
  /** No C-STORE was sent: association rejected, or no presentation context for the file's SOP class in its transfer syntax. */
  | { outcome: 'refused'; reason: string };

/** PS3.7 Annex C: warning statuses mean the instance was stored. */
function isStored(status: number): boolean {
  return status === 0x0000 || status === 0x0001 || status === 0x0107 || status === 0x0116 || (status & 0xf000) === 0xb000;
}

function loadFile(path: string): Part10FileDataset {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err: unknown) {
    throw new GatewayError('FILE_UNREADABLE', 'cannot read file', { field: 'file', cause: err });
  }
  try {
    return new Part10FileDataset(bytes);
  } catch (err: unknown) {
    throw new GatewayError('FILE_UNREADABLE', `not a DICOM PS3.10 file: ${isGatewayError(err) ? err.code : 'parse error'}`, { field: 'file', cause: err });
  }
}

/**
 * Sends one DICOM file with C-STORE over its own association, with the dcmjs-dimse client.
 * The dataset goes over the wire byte for byte as in the file, in the file's own transfer
 * syntax (proposed in a presentation context of its own); if the peer accepts the SOP class
 * only in other syntaxes the file is not sent (no re-encoding that could lose attributes).
 * Resolves with the peer's answer; throws FILE_UNREADABLE, or SEND_PEER_UNREACHABLE when no
 * answer could be had (connection refused, network error, timeout).
 */
export async function sendDicomFile(path: string, host: string, port: number, options: SendDicomOptions = {}): Promise<SendDicomResult> {
  configureDimseLibrary(options.logger ?? pino({ level: 'silent' }));
  const dataset = loadFile(path);
  const { sopClassUid, transferSyntaxUid } = dataset.identity;
  const request = new requests.CStoreRequest(dataset);
  const client = new Client();
  client.addRequest(request);
  client.addAdditionalPresentationContext(new association.PresentationContext(0, sopClassUid, transferSyntaxUid), true);
  let response: responses.CStoreResponse | undefined;
  request.on('response', (r: responses.CStoreResponse) => (response = r));

  return new Promise<SendDicomResult>((resolve, reject) => {
    let settled = false;
    let refusal: SendDicomResult | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const unreachable = (why: string, cause?: unknown) =>
      new GatewayError('SEND_PEER_UNREACHABLE', `no C-STORE answer from ${host}:${port}: ${why}`, { field: '--to', ...(cause === undefined ? {} : { cause }) });
    const timer = setTimeout(() => finish(() => reject(unreachable('timed out'))), options.timeoutMs ?? 30_000);
    timer.unref();

    client.on('associationAccepted', (assoc: association.Association) => {
      const sendable = assoc.getPresentationContexts().some(({ context }) => {
        return context.getAbstractSyntaxUid() === sopClassUid && context.getResult() === constants.PresentationContextResult.Accept && context.getAcceptedTransferSyntaxUid() === transferSyntaxUid;
      });
      if (!sendable) {
        refusal = { outcome: 'refused', reason: `no presentation context accepted for SOP class ${sopClassUid} in transfer syntax ${transferSyntaxUid}` };
        // The client sends its request list right after this event: emptied, it only releases.
        client.clearRequests();
      }
    });
    client.on('associationRejected', (r: { result: number; source: number; reason: number }) => {
      refusal = { outcome: 'refused', reason: `association rejected (result ${r.result}, source ${r.source}, reason ${r.reason})` };
    });
    client.on('networkError', (err: unknown) => finish(() => reject(unreachable(err instanceof Error ? err.message : 'network error', err))));
    client.on('closed', () =>
      finish(() => {
        if (response) {
          const status = response.getStatus();
          const comment = response.getErrorComment();
          resolve({ outcome: isStored(status) ? 'stored' : 'failed', status, statusHex: formatStatus(status), ...(comment ? { errorComment: comment } : {}) });
        } else if (refusal) resolve(refusal);
        else reject(unreachable('the association ended without a C-STORE response'));
      }),
    );
    client.send(host, port, options.callingAeTitle ?? 'ECGGW-SEND', options.calledAeTitle ?? 'ECGGW');
  });
}
