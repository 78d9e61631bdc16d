import { Injectable } from '@nestjs/common';
import type { ClaimedMessage } from '../store/message';
import type { Transition } from '../store/message-store.port';
import { DecodePool } from './decode-pool';
import type { PipelineStage } from './pipeline-stage';

/**
 * received → decoded: decodes the raw bytes (format detected from content, on a DecodePool
 * thread) and keeps the record's summary — identifiers, rate, leads, measurements, never
 * samples. A DecodeError propagates; the worker turns it into `failed` with its code and field.
 * HL7 from MLLP usually skips this stage (the listener decoded it to validate it); DICOM,
 * STOW-RS and replayed messages come through here.
 */
@Injectable()
export class DecodeStage implements PipelineStage {
  readonly name = 'decode';
  readonly from = 'received' as const;

  constructor(private readonly pool: DecodePool) {}

  async run(claimed: ClaimedMessage): Promise<Transition> {
    const { summary, format, decodeMs } = await this.pool.decode(claimed.raw);
    return { to: 'decoded', event: 'decode', summary, detail: { decodeMs, format } };
  }
}
