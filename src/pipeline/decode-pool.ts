import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, type ErrorCode } from '../errors/error-codes';
import { GatewayError } from '../errors/gateway-error';
import type { PreparedInput } from '../ecg/signal/preprocess';
import type { DecodeRequest, DecodeResponse, PrepareResponse } from './decode-worker';
import type { ModelInputSpec } from './prepare-model-inputs';

export interface DecodeOutcome {
  summary: Record<string, unknown>;
  format: string;
  decodeMs: number;
}

/** One prepared input per model (tensor or quality issue), in the order asked for. */
export interface PreparedInputs {
  inputs: PreparedInput[];
  /** Decoding and preparing on the thread. */
  prepareMs: number;
}

interface Task {
  request: DecodeRequest;
  settle: (res: DecodeResponse | PrepareResponse) => void;
  reject: (e: GatewayError) => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
}

/**
 * Threads for decoding: cores − 1 (one stays for sockets and the store), at most 4, and at least
 * 2 — while the event loop waits on a commit's fsync (≈4 ms on a VM disk), two threads keep
 * decoding, so the next group commit takes several messages at once.
 */
export function defaultDecodeThreads(): number {
  return Math.max(2, Math.min(4, availableParallelism() - 1));
}

function toDecodeError(error: { code: string; field?: string; message: string }): GatewayError {
  const code: ErrorCode = error.code in ERROR_CODES ? (error.code as ErrorCode) : 'INTERNAL';
  return new GatewayError(code, error.message, error.field === undefined ? {} : { field: error.field });
}

/**
 * Runs the pure decoder on worker threads so a 5 ms decode never holds up the event loop that
 * frames, commits and acknowledges other messages; and, for the score stage, decoding plus every
 * model's preprocessing and quality gate (10–40 ms per ECG and model), so that the event loop
 * only runs the sessions and interprets their outputs. Rejects with the decoder's GatewayError (code,
 * field, message rebuilt from the worker's answer). A worker that dies fails its task (INTERNAL)
 * and is replaced.
 */
@Injectable()
export class DecodePool implements OnApplicationShutdown {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(threads: number = defaultDecodeThreads()) {
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
  }

  get threads(): number {
    return this.slots.length;
  }

  /** Decodes a copy of `bytes`; resolves with the summary or rejects with the DecodeError. */
  decode(bytes: Uint8Array): Promise<DecodeOutcome> {
    return this.submit<DecodeOutcome>({ kind: 'decode', id: this.nextId++, bytes: Uint8Array.from(bytes) }, (res) =>
      res.kind === 'decode' ? { summary: res.summary, format: res.format, decodeMs: res.decodeMs } : undefined,
    );
  }

  /**
   * Decodes a copy of `bytes` and prepares each model's input from its spec, in order (the
   * tensors come back transferred, not copied); rejects with the DecodeError.
   */
  prepareInputs(bytes: Uint8Array, models: readonly ModelInputSpec[]): Promise<PreparedInputs> {
    return this.submit<PreparedInputs>({ kind: 'prepare', id: this.nextId++, bytes: Uint8Array.from(bytes), models }, (res) =>
      res.kind === 'prepare' ? { inputs: res.inputs, prepareMs: res.decodeMs } : undefined,
    );
  }

  private submit<T>(request: DecodeRequest, read: (res: Extract<DecodeResponse | PrepareResponse, { ok: true }>) => T | undefined): Promise<T> {
    if (this.closed) return Promise.reject(new GatewayError('INTERNAL', 'the decode pool is shut down'));
    return new Promise<T>((resolve, reject) => {
      const settle = (res: DecodeResponse | PrepareResponse): void => {
        if (!res.ok) return reject(toDecodeError(res.error));
        const value = read(res);
        if (value === undefined) reject(new GatewayError('INTERNAL', `decode worker answered ${res.kind} to a ${request.kind} request`));
        else resolve(value);
      };
      this.queue.push({ request, settle, reject });
      this.dispatch();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new GatewayError('INTERNAL', 'the decode pool is shut down'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(join(__dirname, 'decode-worker.js')), task: undefined };
    slot.worker.on('message', (res: DecodeResponse | PrepareResponse) => {
      const task = slot.task;
      slot.task = undefined;
      slot.worker.unref();
      if (task && task.request.id === res.id) task.settle(res);
      this.dispatch();
    });
    slot.worker.on('error', (err: Error) => this.replace(slot, err));
    slot.worker.on('exit', (code) => {
      if (!this.closed) this.replace(slot, new Error(`decode worker exited with ${code}`));
    });
    // Only a busy worker keeps the process alive (ref in dispatch): an idle pool never does, e.g.
    // when startup fails before shutdown hooks exist. After the listeners, which ref the port.
    slot.worker.unref();
    return slot;
  }

  private replace(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    slot.task?.reject(new GatewayError('INTERNAL', `decode worker failed: ${err.name}`, { cause: err }));
    slot.task = undefined;
    void slot.worker.terminate();
    if (this.closed) {
      this.slots.splice(i, 1);
      return;
    }
    this.slots[i] = this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task) continue;
      // Decodes first: listeners wait on them to acknowledge; preparing for a score can wait.
      const first = this.queue.findIndex((t) => t.request.kind === 'decode');
      const task = this.queue.splice(first >= 0 ? first : 0, 1)[0];
      if (!task) return;
      slot.task = task;
      slot.worker.ref();
      // The copy made in decode() is handed over, not copied again.
      slot.worker.postMessage(task.request, [task.request.bytes.buffer as ArrayBuffer]);
    }
  }
}
