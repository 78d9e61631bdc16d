import { parentPort } from 'node:worker_threads';
import { decodeEcg } from '../ecg/decode/decode-ecg';
import type { PreparedInput } from '../ecg/signal/preprocess';
import { summariseRecord } from '../ecg/summarise-record';
import { toGatewayError } from '../errors/gateway-error';
import { prepareModelInputs, type ModelInputSpec, type PreprocessorCache } from './prepare-model-inputs';

/**
 * A request from DecodePool: the raw bytes of one message, to decode (`decode`: its summary) or
 * to decode and prepare each model's input (`prepare`: the score stage's CPU work).
 */
export type DecodeRequest = { kind: 'decode'; id: number; bytes: Uint8Array } | { kind: 'prepare'; id: number; bytes: Uint8Array; models: readonly ModelInputSpec[] };

type ErrorAnswer = { id: number; ok: false; error: { code: string; field?: string; message: string }; decodeMs: number };

/** The answer: the record's summary (never samples), or the DecodeError's code, field and rule. */
export type DecodeResponse = { id: number; ok: true; kind: 'decode'; summary: Record<string, unknown>; format: string; decodeMs: number } | ErrorAnswer;

/** The answer to `prepare`: one prepared input (tensor data or quality issue) per model, in request order. */
export type PrepareResponse = { id: number; ok: true; kind: 'prepare'; inputs: PreparedInput[]; decodeMs: number } | ErrorAnswer;

function failure(id: number, err: unknown, decodeMs: number): ErrorAnswer {
  const e = toGatewayError(err);
  const error = e.field === undefined ? { code: e.code, message: e.message } : { code: e.code, field: e.field, message: e.message };
  return { id, ok: false, error, decodeMs };
}

function stopwatch(): () => number {
  const started = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - started) / 1e6;
}

/** Runs the pure decoder on one message; what a worker thread of DecodePool does per request. */
export function decodeRequest(req: { id: number; bytes: Uint8Array }): DecodeResponse {
  const ms = stopwatch();
  try {
    const record = decodeEcg({ bytes: req.bytes });
    return { id: req.id, ok: true, kind: 'decode', summary: { ...summariseRecord(record) }, format: record.format, decodeMs: ms() };
  } catch (err: unknown) {
    return failure(req.id, err, ms());
  }
}

const preprocessors: PreprocessorCache = new Map();

/** Decodes one message and prepares every model's input on this thread. */
export function prepareRequest(req: { id: number; bytes: Uint8Array; models: readonly ModelInputSpec[] }): PrepareResponse {
  const ms = stopwatch();
  try {
    return { id: req.id, ok: true, kind: 'prepare', inputs: prepareModelInputs(req.bytes, req.models, preprocessors), decodeMs: ms() };
  } catch (err: unknown) {
    return failure(req.id, err, ms());
  }
}

parentPort?.on('message', (req: DecodeRequest) => {
  if (req.kind === 'decode') return void parentPort?.postMessage(decodeRequest(req));
  const res = prepareRequest(req);
  // The tensors are handed over, not copied.
  const buffers = res.ok ? res.inputs.flatMap((p) => (p.status === 'ready' ? [p.data.buffer as ArrayBuffer] : [])) : [];
  parentPort?.postMessage(res, buffers);
});
