import { Injectable } from '@nestjs/common';
import { decodeEcg } from '../ecg/decode/decode-ecg';
import { summariseRecord } from '../ecg/summarise-record';
import type { ClaimedMessage } from '../store/message';
import type { Transition } from '../store/message-store.port';
import type { PipelineStage } from './pipeline-stage';

/**
 * received → decoded: decodes the raw bytes (format detected from content) and keeps the
 * record's summary — identifiers, rate, leads, measurements, never samples. A DecodeError
 * propagates; the worker turns it into `failed` with the decoder's code and field.
 */
@Injectable()
export class DecodeStage implements PipelineStage {
  readonly name = 'decode';
  readonly from = 'received' as const;

  run(claimed: ClaimedMessage): Promise<Transition> {
    const started = process.hrtime.bigint();
    const record = decodeEcg({ bytes: claimed.raw });
    const decodeMs = Number(process.hrtime.bigint() - started) / 1e6;
    const summary: Readonly<Record<string, unknown>> = { ...summariseRecord(record) };
    return Promise.resolve({ to: 'decoded', event: 'decode', summary, detail: { decodeMs, format: record.format } });
  }
}
