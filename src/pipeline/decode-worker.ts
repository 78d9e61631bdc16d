import { parentPort } from 'node:worker_threads';
import { decodeEcg } from '../ecg/decode/decode-ecg';
import { summariseRecord } from '../ecg/summarise-record';
import { toGatewayError } from '../errors/gateway-error';

/** A decode request from DecodePool: the raw bytes of one message. */
export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
}

/** The answer: the record's summary (never samples), or the DecodeError's code, field and rule. */
export type DecodeResponse =
  | { id: number; ok: true; summary: Record<string, unknown>; format: string; decodeMs: number }
  | { id: number; ok: false; error: { code: string; field?: string; message: string }; decodeMs: number };

/** Runs the pure decoder on one message; what a worker thread of DecodePool does per request. */
export function decodeRequest(req: DecodeRequest): DecodeResponse {
  const started = process.hrtime.bigint();
  const ms = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  try {
    const record = decodeEcg({ bytes: req.bytes });
    return { id: req.id, ok: true, summary: { ...summariseRecord(record) }, format: record.format, decodeMs: ms() };
  } catch (err: unknown) {
    const e = toGatewayError(err);
    const error = e.field === undefined ? { code: e.code, message: e.message } : { code: e.code, field: e.field, message: e.message };
    return { id: req.id, ok: false, error, decodeMs: ms() };
  }
}

parentPort?.on('message', (req: DecodeRequest) => parentPort?.postMessage(decodeRequest(req)));
