import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { GatewayError, toGatewayError } from '../../errors/gateway-error';
import { GatewayMetrics } from '../../metrics/gateway-metrics';
import { DecodePool, type DecodeOutcome } from '../../pipeline/decode-pool';
import type { PeerInfo, ReceiveOutcome } from '../../store/message';
import { MessageStore } from '../../store/message-store.port';
import { isEcgStorageSopClass, TRANSFER_SYNTAX_PREFERENCE } from './accepted-syntaxes';
import { readDicomIdentity, type DicomIdentity } from './read-dicom-identity';

export const DICOM_CONTENT_TYPE = 'application/dicom';

/** What the request itself says about the instance: C-STORE Affected SOP Class/Instance UID, STOW-RS path Study UID. */
export interface ExpectedInstance {
  sopClassUid?: string;
  sopInstanceUid?: string;
  studyInstanceUid?: string;
}

export interface DicomInstanceInput {
  protocol: 'dimse' | 'stow-rs';
  peer: PeerInfo;
  /** The PS3.10 file: File Meta + the dataset bytes as the sender encoded them. */
  file: Uint8Array;
  expected: ExpectedInstance;
  receivedAt: Date;
}

export type DicomInstanceResult =
  | { stored: true; identity: DicomIdentity; outcome: ReceiveOutcome; validateMs: number; commitMs: number }
  | {
      stored: false;
      identity: Partial<DicomIdentity>;
      error: GatewayError;
      /** Id of the `failed` row the refused bytes were kept under, for analysts. */
      refusedAs?: string;
      validateMs: number;
      commitMs: number;
    };

/**
 * Validates one DICOM instance, then commits it — the use case behind C-STORE and STOW-RS.
 *
 * Order, and why:
 *  1. Validate before anything is promised: identity (a short parse), SOP class is an ECG class,
 *     the dataset agrees with the request, the transfer syntax is one the decoder reads; then the
 *     pure decoder itself, on a DecodePool thread (a few ms that must not hold up the event loop
 *     serving other associations). This is what lets the edge answer A900 or C000 instead of a
 *     success followed by a silent pipeline failure.
 *  2. Commit the raw file, as `decoded` with the decoder's summary (the pipeline does not decode
 *     it again). The returned promise resolves only after the store's durable commit, so the edge
 *     can never answer success before commit: success is built from `stored: true`.
 *  3. A refused ECG-class instance is still committed as `failed` with the reason (best effort: the
 *     refusal stands even if that commit fails), like a NAKed HL7 message, so analysts see it.
 *     Instances of a non-ECG SOP class are not kept: they were never ours.
 */
@Injectable()
export class StoreDicomInstanceService {
  constructor(
    private readonly messages: MessageStore,
    private readonly pool: DecodePool,
    private readonly metrics: GatewayMetrics,
  ) {}

  async store(input: DicomInstanceInput): Promise<DicomInstanceResult> {
    const result = await this.validateAndCommit(input);
    this.metrics.messageAnswered(input.protocol, result.stored ? undefined : result.error.code);
    return result;
  }

  private async validateAndCommit(input: DicomInstanceInput): Promise<DicomInstanceResult> {
    const t0 = performance.now();
    let identity: Partial<DicomIdentity> = {};
    let refusal: GatewayError | undefined;
    let decoded: DecodeOutcome | undefined;
    try {
      const read = readDicomIdentity(input.file);
      identity = read;
      checkAgainstRequest(read, input.expected);
      decoded = await this.pool.decode(input.file);
    } catch (err: unknown) {
      refusal = toGatewayError(err);
    }
    const validateMs = performance.now() - t0;
    const base = {
      protocol: input.protocol,
      peer: input.peer,
      contentType: DICOM_CONTENT_TYPE,
      raw: input.file,
      receivedAt: input.receivedAt,
      ...(identity.sopInstanceUid === undefined ? {} : { sourceId: identity.sopInstanceUid, dedupKey: `dicom:${identity.sopInstanceUid}` }),
    };

    if (refusal !== undefined) {
      let refusedAs: string | undefined;
      if (refusal.code !== 'INGEST_SOP_CLASS_NOT_SUPPORTED') {
        const refused = { code: refusal.code, message: refusal.message, ...(refusal.field === undefined ? {} : { field: refusal.field }) };
        refusedAs = await this.messages.receive({ ...base, refused }).then(
          (o) => o.id,
          () => undefined,
        );
      }
      const commitMs = performance.now() - t0 - validateMs;
      return { stored: false, identity, error: refusal, validateMs, commitMs, ...(refusedAs === undefined ? {} : { refusedAs }) };
    }

    try {
      const asDecoded = decoded === undefined ? {} : { decoded: { summary: decoded.summary, detail: { decodeMs: decoded.decodeMs, format: decoded.format } } };
      const outcome = await this.messages.receive({ ...base, ...asDecoded });
      return { stored: true, identity: identity as DicomIdentity, outcome, validateMs, commitMs: performance.now() - t0 - validateMs };
    } catch (err: unknown) {
      return { stored: false, identity, error: toGatewayError(err), validateMs, commitMs: performance.now() - t0 - validateMs };
    }
  }
}

/** Throws when the dataset is not what the request announced, or cannot be decoded here. */
function checkAgainstRequest(identity: DicomIdentity, expected: ExpectedInstance): void {
  if (expected.sopClassUid !== undefined && expected.sopClassUid !== identity.sopClassUid) {
    // PS3.4 B.2.3: A900 when the dataset's SOP Class UID differs from the Affected SOP Class UID.
    throw new GatewayError('INGEST_DATASET_MISMATCH', 'SOP Class UID differs from the Affected SOP Class UID', { field: 'SOPClassUID (0008,0016)' });
  }
  if (!isEcgStorageSopClass(identity.sopClassUid)) {
    throw new GatewayError('INGEST_SOP_CLASS_NOT_SUPPORTED', 'the SOP class is not an ECG waveform storage class', { field: 'SOPClassUID (0008,0016)' });
  }
  if (expected.sopInstanceUid !== undefined && expected.sopInstanceUid !== identity.sopInstanceUid) {
    throw new GatewayError('INGEST_DATASET_MISMATCH', 'SOP Instance UID differs from the Affected SOP Instance UID', { field: 'SOPInstanceUID (0008,0018)' });
  }
  if (expected.studyInstanceUid !== undefined && expected.studyInstanceUid !== identity.studyInstanceUid) {
    // PS3.18 §10.5.1: with /studies/{StudyInstanceUID} every instance must belong to that study.
    throw new GatewayError('INGEST_DATASET_MISMATCH', 'Study Instance UID differs from the study in the request path', { field: 'StudyInstanceUID (0020,000D)' });
  }
  if (!TRANSFER_SYNTAX_PREFERENCE.includes(identity.transferSyntaxUid)) {
    throw new GatewayError('INGEST_TRANSFER_SYNTAX_NOT_SUPPORTED', 'the transfer syntax is not one the decoder reads', { field: 'TransferSyntaxUID (0002,0010)' });
  }
}
