import type { EcgRecord } from '../ecg/record';
import type { QualityThresholds } from '../ecg/quality/quality-thresholds';
import { createPreprocessor, type PreparedInput, type Preprocessor } from '../ecg/signal/preprocess';
import type { SignalCache } from '../ecg/signal/signal-cache';
import { checkOutputDims } from './check-model-io';
import { interpretOutputs } from './interpret';
import type { ModelManifest } from './manifest.schema';
import { MicroBatcher, type BatchObserver, type BatcherStats } from './micro-batcher';
import type { IndeterminateReason, ModelIdentity, ModelResult, OutputResult } from './model-result';
import type { OnnxSession } from './onnx-session';

/** One ECG's rows of the output tensors the manifest reads. */
export type OutputRows = Readonly<Record<string, Float32Array>>;

export interface BatchingOptions {
  maxBatch: number;
  maxWaitMs: number;
}

/** A model that passed every check at start: manifest, session, preprocessing and its micro-batcher. */
export interface LoadedModel {
  readonly manifest: ModelManifest;
  readonly identity: ModelIdentity;
  readonly preprocessor: Preprocessor;
  /** The quality gate's thresholds this model's preprocessing applies. */
  readonly qualityThresholds: QualityThresholds;
  /** The largest batch one run takes (INFERENCE_MAX_BATCH, or the model's fixed batch size). */
  readonly maxBatch: number;
  /** Preprocess, gate, infer (micro-batched with concurrent calls) and interpret one ECG. */
  score(record: EcgRecord, cache?: SignalCache): Promise<ModelResult>;
  /** Infer (micro-batched) and interpret an input prepared elsewhere (e.g. on a worker thread) from `manifest.input`. */
  scorePrepared(prepared: PreparedInput): Promise<ModelResult>;
  /** One session run on `count` prepared inputs laid out back to back, bypassing the batcher (benchmarks). */
  runRaw(data: Float32Array, count: number): Promise<void>;
  stats(): Readonly<BatcherStats>;
  /** Sees each micro-batch run of this model (metrics histograms); returns the removal. */
  observeRuns(observer: BatchObserver): () => void;
  release(): Promise<void>;
}

export function identityOf(m: ModelManifest): ModelIdentity {
  return { id: m.id, name: m.name, version: m.version, sha256: m.sha256, purpose: m.purpose, clinicallyValidated: m.clinicallyValidated, intendedUse: m.intendedUse };
}

function indeterminate(identity: ModelIdentity, m: ModelManifest, reason: IndeterminateReason): ModelResult {
  const outputs: OutputResult[] = m.outputs.map((o) => ({ key: o.key, kind: o.kind, meaning: o.meaning, coding: o.coding, status: 'indeterminate', reason }));
  return { model: identity, status: 'indeterminate', reason, outputs };
}

/**
 * Wires a checked session to its manifest, then warms it up: a batch of one (whose output dims
 * are checked against the manifest's indices) and, for a dynamic batch, a full batch so the
 * first real burst does not pay for allocation. Throws MODEL_IO_MISMATCH, INFERENCE_FAILED.
 */
export async function createLoadedModel(manifest: ModelManifest, session: OnnxSession, batching: BatchingOptions, thresholds: QualityThresholds): Promise<LoadedModel> {
  const identity = identityOf(manifest);
  const preprocessor = createPreprocessor(manifest.input, thresholds);
  const size = preprocessor.size;
  const fixedBatch = manifest.input.shape[0] > 0 ? manifest.input.shape[0] : undefined;
  const maxBatch = fixedBatch === undefined ? batching.maxBatch : Math.min(batching.maxBatch, fixedBatch);
  const tensors = [...new Set(manifest.outputs.map((o) => o.tensor))];
  const dimsOf = (n: number) => [n, manifest.input.shape[1], manifest.input.shape[2]];

  const run = (data: Float32Array, count: number) => {
    if (fixedBatch !== undefined && count > fixedBatch) throw new RangeError(`model ${manifest.id} takes at most ${fixedBatch} ECGs per run`);
    const rows = fixedBatch ?? count; // a fixed batch is always fed whole, padded with zeros
    return session.run(manifest.input.name, padTo(data, rows * size), dimsOf(rows));
  };

  const runBatch = async (items: readonly Float32Array[]): Promise<OutputRows[]> => {
    const data = new Float32Array(items.length * size);
    items.forEach((x, i) => data.set(x, i * size));
    const out = await run(data, items.length);
    return items.map((_x, i) => {
      const rows: Record<string, Float32Array> = {};
      for (const name of tensors) {
        const t = out[name];
        if (!t) continue;
        const per = t.data.length / (t.dims[0] ?? 1);
        rows[name] = t.data.slice(i * per, (i + 1) * per);
      }
      return rows;
    });
  };

  const first = await run(new Float32Array(size), 1);
  checkOutputDims(manifest, Object.fromEntries(Object.entries(first).map(([k, v]) => [k, v.dims])));
  if (fixedBatch === undefined && maxBatch > 1) await run(new Float32Array(maxBatch * size), maxBatch);

  const batcher = new MicroBatcher<Float32Array, OutputRows>(runBatch, maxBatch, batching.maxWaitMs);
  const scorePrepared = async (prepared: PreparedInput): Promise<ModelResult> => {
    if (prepared.status === 'indeterminate') {
      const { code, message, lead } = prepared.issue;
      return indeterminate(identity, manifest, lead === undefined ? { code, message } : { code, message, lead });
    }
    if (prepared.data.length !== size) throw new RangeError(`model ${manifest.id} takes ${size} values per ECG, got ${prepared.data.length}`);
    const rows = await batcher.submit(prepared.data);
    return { model: identity, status: 'scored', preprocessing: prepared.trace, outputs: interpretOutputs(manifest.outputs, rows) };
  };
  return {
    manifest,
    identity,
    preprocessor,
    qualityThresholds: thresholds,
    maxBatch,
    score(record, cache) {
      return scorePrepared(preprocessor.prepare(record, cache));
    },
    scorePrepared,
    async runRaw(data, count) {
      await run(data, count);
    },
    stats: () => batcher.stats(),
    observeRuns: (observer) => batcher.observe(observer),
    release: () => session.release(),
  };
}

function padTo(data: Float32Array, length: number): Float32Array {
  if (data.length >= length) return data;
  const out = new Float32Array(length);
  out.set(data);
  return out;
}
