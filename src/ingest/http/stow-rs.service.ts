import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { CONFIG, ROOT_LOGGER } from '../../config/config.module';
import type { Config } from '../../config/config.schema';
import { GatewayError } from '../../errors/gateway-error';
import { STORE_STATUS, errorToStoreStatus, formatStatus } from '../dicom/error-to-status';
import { DICOM_CONTENT_TYPE, StoreDicomInstanceService } from '../dicom/store-dicom-instance.service';
import { parseMediaType } from './parse-media-type';
import { parseMultipartRelated, type MultipartPart } from './parse-multipart-related';
import { readRequestBody } from './read-request-body';
import { storeInstancesResponse, type DicomJsonObject, type InstanceOutcome } from './store-instances-response';

export interface StowRequest {
  contentType: string | undefined;
  contentLength: string | undefined;
  body: Readable;
  /** From POST /dicomweb/studies/{study}: every instance must belong to it. */
  studyInstanceUid: string | undefined;
  peerAddress: string | undefined;
}

/**
 * STOW-RS (PS3.18 §10.5): multipart/related; type="application/dicom", one PS3.10 instance per
 * part, each validated and committed like a C-STORE (StoreDicomInstanceService). Request-level
 * problems throw (problem+json via the HTTP filter): 415 for another media type, 413 over
 * STOW_MAX_REQUEST_BYTES, 400 for a broken multipart body. Per-instance results go in the
 * Store Instances Response.
 */
@Injectable()
export class StowRsService {
  private readonly log: Logger;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    private readonly instances: StoreDicomInstanceService,
  ) {
    this.log = rootLogger.child({ module: 'ingest.stow-rs' });
  }

  async store(request: StowRequest): Promise<{ status: number; body: DicomJsonObject }> {
    const boundary = this.checkMediaType(request.contentType);
    const body = await readRequestBody(request.body, request.contentLength, this.config.STOW_MAX_REQUEST_BYTES);
    const parts = parseMultipartRelated(body, boundary);
    if (parts.length === 0) throw new GatewayError('INGEST_MULTIPART_MALFORMED', 'multipart body holds no part', { field: 'body' });
    const receivedAt = new Date();
    // All parts validate synchronously, then their commits share one store transaction.
    const outcomes = await Promise.all(parts.map((part, index) => this.storePart(part, index, request, receivedAt)));
    const response = storeInstancesResponse(outcomes);
    this.log.info(
      { parts: parts.length, stored: outcomes.filter((o) => o.stored).length, httpStatus: response.status, bytes: body.length, peerAddress: request.peerAddress ?? null },
      'STOW-RS request',
    );
    return response;
  }

  /** Returns the boundary; throws INGEST_UNSUPPORTED_MEDIA_TYPE (415) or INGEST_MULTIPART_MALFORMED (400). */
  private checkMediaType(contentType: string | undefined): string {
    if (contentType === undefined) throw new GatewayError('INGEST_UNSUPPORTED_MEDIA_TYPE', 'Content-Type is required: multipart/related; type="application/dicom"', { field: 'Content-Type' });
    const mediaType = parseMediaType(contentType, 'INGEST_UNSUPPORTED_MEDIA_TYPE');
    const type = mediaType.params.get('type')?.toLowerCase();
    // PS3.18 Table 10.5.4-1: only application/dicom instances are accepted here (no DICOM JSON/XML + bulk data).
    if (mediaType.essence !== 'multipart/related' || type !== DICOM_CONTENT_TYPE) {
      throw new GatewayError('INGEST_UNSUPPORTED_MEDIA_TYPE', 'only multipart/related; type="application/dicom" is accepted', { field: 'Content-Type' });
    }
    const boundary = mediaType.params.get('boundary');
    if (boundary === undefined) throw new GatewayError('INGEST_MULTIPART_MALFORMED', 'multipart/related without a boundary parameter', { field: 'Content-Type' });
    return boundary;
  }

  private async storePart(part: MultipartPart, index: number, request: StowRequest, receivedAt: Date): Promise<InstanceOutcome> {
    const logCtx = { part: index + 1, bytes: part.body.length };
    const partType = part.headers.get('content-type');
    let essence: string | undefined;
    try {
      essence = partType === undefined ? undefined : parseMediaType(partType, 'INGEST_UNSUPPORTED_MEDIA_TYPE', `part ${index + 1} Content-Type`).essence;
    } catch {
      essence = undefined;
    }
    if (essence !== DICOM_CONTENT_TYPE) {
      // A part that does not say it is a DICOM instance is not read: it can only be reported, unidentified.
      this.log.warn({ ...logCtx, status: formatStatus(STORE_STATUS.cannotUnderstand), code: 'INGEST_UNSUPPORTED_MEDIA_TYPE' }, 'STOW-RS part refused');
      return { stored: false, failureReason: STORE_STATUS.cannotUnderstand };
    }
    const result = await this.instances.store({
      protocol: 'stow-rs',
      peer: request.peerAddress === undefined ? {} : { address: request.peerAddress },
      file: part.body,
      expected: request.studyInstanceUid === undefined ? {} : { studyInstanceUid: request.studyInstanceUid },
      receivedAt,
    });
    const ids = { sopClassUid: result.identity.sopClassUid, sopInstanceUid: result.identity.sopInstanceUid, transferSyntaxUid: result.identity.transferSyntaxUid };
    if (result.stored) {
      this.log.info({ ...logCtx, sopClassUid: ids.sopClassUid, transferSyntaxUid: ids.transferSyntaxUid, messageId: result.outcome.id, disposition: result.outcome.disposition }, 'STOW-RS instance stored');
      return { stored: true, sopClassUid: result.identity.sopClassUid, sopInstanceUid: result.identity.sopInstanceUid };
    }
    const failureReason = errorToStoreStatus(result.error).status;
    this.log.warn(
      { ...logCtx, sopClassUid: ids.sopClassUid ?? null, transferSyntaxUid: ids.transferSyntaxUid ?? null, messageId: result.refusedAs ?? null, status: formatStatus(failureReason), code: result.error.code, field: result.error.field ?? null },
      'STOW-RS instance refused',
    );
    return {
      stored: false,
      failureReason,
      ...(ids.sopClassUid === undefined ? {} : { sopClassUid: ids.sopClassUid }),
      ...(ids.sopInstanceUid === undefined ? {} : { sopInstanceUid: ids.sopInstanceUid }),
    };
  }
}
