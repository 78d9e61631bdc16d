import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../../config/config.module';
import { checkMessageHeader } from '../../ecg/decode/hl7/check-message-header';
import { readHl7MessageHeader, type Hl7MessageHeader } from '../../ecg/decode/hl7/read-message-header';
import { GatewayError, toGatewayError } from '../../errors/gateway-error';
import { GatewayMetrics } from '../../metrics/gateway-metrics';
import type { IncomingMessage } from '../../store/message';
import { MessageStore } from '../../store/message-store.port';
import { DecodePool, type DecodeOutcome } from '../../pipeline/decode-pool';
import { buildAck, type AckMode, type AckOutcome } from './ack';
import { errorToAck, type Nak } from './error-to-ack';

/** How the gateway names itself in MSH-3 of an ACK when the sender left MSH-5 empty. */
const SELF = 'ECGGW';
export const HL7_CONTENT_TYPE = 'application/hl7-v2';

/** Original mode when MSH-15 and MSH-16 are both empty, else enhanced (table 0155). */
function ackModeOf(msh: Hl7MessageHeader): AckMode {
  return msh.acceptAckType === '' && msh.applicationAckType === '' ? 'original' : 'enhanced';
}

/** MSH-15 (table 0155) decides whether an enhanced-mode accept ACK is sent at all. */
function acceptAckWanted(msh: Hl7MessageHeader, outcome: AckOutcome): boolean {
  switch (msh.acceptAckType) {
    case 'NE':
      return false;
    case 'ER':
      return outcome !== 'accept';
    case 'SU':
      return outcome === 'accept';
    default:
      return true; // AL, or empty with MSH-16 set
  }
}

/** The header segment(s) only: the MSH reader needs nothing after the MSH line. */
function headerBytes(payload: Buffer): Buffer {
  const msh = payload.indexOf('MSH');
  if (msh < 0) return payload;
  const cr = payload.indexOf(0x0d, msh);
  const lf = payload.indexOf(0x0a, msh);
  const end = Math.min(cr < 0 ? payload.length : cr, lf < 0 ? payload.length : lf);
  return payload.subarray(0, end);
}

/** Why a message is refused, or its decoded summary. */
type Verdict = { refusal: GatewayError; decoded?: undefined } | { refusal?: undefined; decoded: DecodeOutcome };

/**
 * One HL7 v2 message from MLLP, as a story: read MSH, check type/version/processing id, decode
 * (the pure decoder, on a DecodePool thread, to NAK bad content with its field), commit the raw
 * bytes — `decoded` with the summary, or `failed` with the reason when refused — and only then
 * acknowledge. Nothing is answered AA/CA before its commit has resolved. A message decoded here
 * is not decoded again by the pipeline.
 */
@Injectable()
export class Hl7IngestService {
  private readonly logger: Logger;

  constructor(
    private readonly store: MessageStore,
    private readonly pool: DecodePool,
    private readonly metrics: GatewayMetrics,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ module: 'ingest.hl7' });
  }

  async onMessage(payload: Buffer, peerAddress: string | undefined): Promise<Buffer | undefined> {
    const receivedAt = new Date();
    let msh: Hl7MessageHeader;
    try {
      msh = readHl7MessageHeader(headerBytes(payload));
    } catch (err: unknown) {
      // No readable MSH (not HL7, or an MSH-18 we cannot read): nothing to identify or commit it by.
      const nak = errorToAck(err, 'original');
      this.logger.warn({ bytes: payload.length, outcome: nak.outcome, errorCode: nak.error.applicationCode, errorField: toGatewayError(err).field }, 'mllp frame without a readable MSH refused');
      return this.reply(undefined, 'original', nak.outcome, nak);
    }
    const mode = ackModeOf(msh);
    const verdict = await this.validate(payload, msh);
    const { refusal } = verdict;
    let nak = refusal ? errorToAck(refusal, mode) : undefined;
    const started = process.hrtime.bigint();
    try {
      const outcome = await this.store.receive(this.incoming(payload, msh, peerAddress, receivedAt, verdict));
      this.logger.info(
        {
          messageId: outcome.id,
          state: refusal ? 'failed' : 'decoded',
          disposition: outcome.disposition,
          bytes: payload.length,
          decodeMs: verdict.decoded?.decodeMs,
          commitMs: Number(process.hrtime.bigint() - started) / 1e6,
          ...(refusal ? { errorCode: refusal.code, errorField: refusal.field } : {}),
        },
        refusal ? 'hl7 message refused and kept' : 'hl7 message committed',
      );
    } catch (err: unknown) {
      const e = toGatewayError(err);
      this.logger.error({ errorCode: e.code, bytes: payload.length }, 'hl7 message could not be committed');
      // Content already refused: that answer stands (resending unchanged will not help).
      nak ??= errorToAck(e, mode);
    }
    return nak ? this.reply(msh, mode, nak.outcome, nak) : this.reply(msh, mode, 'accept');
  }

  /** A frame over MLLP_MAX_MESSAGE_BYTES: refused from its head (for MSH-10), never committed. */
  onOversize(head: Buffer, size: number, limit: number, peerAddress: string | undefined): Promise<Buffer | undefined> {
    const err = new GatewayError('INGEST_TOO_LARGE', `message of ${size} bytes exceeds MLLP_MAX_MESSAGE_BYTES (${limit})`);
    let msh: Hl7MessageHeader | undefined;
    try {
      msh = readHl7MessageHeader(headerBytes(head));
    } catch {
      msh = undefined; // no readable MSH in the head either: answer without MSA-2
    }
    const mode = msh ? ackModeOf(msh) : 'original';
    const nak = errorToAck(err, mode);
    this.logger.warn({ bytes: size, limit, peerAddress, errorCode: err.code }, 'oversized hl7 message refused');
    return Promise.resolve(this.reply(msh, mode, nak.outcome, nak));
  }

  /** MSH checks first (AR/CR), then the full decode (AE/CE with the field). */
  private async validate(payload: Buffer, msh: Hl7MessageHeader): Promise<Verdict> {
    try {
      checkMessageHeader(msh);
      return { decoded: await this.pool.decode(payload) };
    } catch (err: unknown) {
      return { refusal: toGatewayError(err) };
    }
  }

  private incoming(payload: Buffer, msh: Hl7MessageHeader, address: string | undefined, receivedAt: Date, verdict: Verdict): IncomingMessage {
    const message: IncomingMessage = {
      protocol: 'mllp',
      peer: { sendingApplication: msh.sendingApplication, sendingFacility: msh.sendingFacility },
      contentType: HL7_CONTENT_TYPE,
      raw: payload,
      receivedAt,
    };
    // No MSH-10, no identity: such a message is never taken for a repeat of another.
    if (msh.controlId !== '') {
      message.sourceId = msh.controlId;
      message.dedupKey = `hl7:${msh.raw.sendingApplication}|${msh.raw.sendingFacility}:${msh.controlId}`;
    }
    if (address !== undefined) message.peer.address = address;
    const { refusal, decoded } = verdict;
    if (refusal) {
      message.refused = { code: refusal.code, message: refusal.message };
      if (refusal.field !== undefined) message.refused.field = refusal.field;
    } else {
      message.decoded = { summary: decoded.summary, detail: { decodeMs: decoded.decodeMs, format: decoded.format } };
    }
    return message;
  }

  /** The ACK bytes, in the message's own character set (only MSH-3..6 can be non-ASCII). */
  private reply(msh: Hl7MessageHeader | undefined, mode: AckMode, outcome: AckOutcome, nak?: Nak): Buffer | undefined {
    this.metrics.messageAnswered('mllp', nak?.error.applicationCode);
    if (msh && mode === 'enhanced' && !acceptAckWanted(msh, outcome)) return undefined;
    const request = { original: msh, mode, outcome, controlId: `G${randomBytes(8).toString('hex')}`, at: new Date(), self: SELF };
    const text = buildAck(nak ? { ...request, error: nak.error } : request);
    return Buffer.from(text, msh?.characterSet.startsWith('8859') ? 'latin1' : 'utf8');
  }
}
