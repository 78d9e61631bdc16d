import { decodeEcg } from '../ecg/decode/decode-ecg';
import type { QualityThresholds } from '../ecg/quality/quality-thresholds';
import { createPreprocessor, type PreparedInput, type Preprocessor } from '../ecg/signal/preprocess';
import type { PreprocessSpec } from '../ecg/signal/preprocess-spec';
import { createSignalCache } from '../ecg/signal/signal-cache';

/** What a thread needs to prepare one model's input: the manifest's `input` block and the quality gate's thresholds. */
export interface ModelInputSpec {
  modelId: string;
  spec: PreprocessSpec;
  thresholds: QualityThresholds;
}

/** Preprocessors by spec, built once per thread (filters designed, resamplers kept) and reused for every ECG. */
export type PreprocessorCache = Map<string, { preprocessor: Preprocessor; thresholds: QualityThresholds }>;

/**
 * Decodes the raw bytes once and prepares every model's input (leads, window, quality gate,
 * resampling, filters, normalisation), in `models` order: the CPU half of scoring, for a worker
 * thread. Models with equal thresholds share the gate and the resampling of the record, as on
 * the main thread. Throws the decoder's DecodeError.
 */
export function prepareModelInputs(bytes: Uint8Array, models: readonly ModelInputSpec[], cache: PreprocessorCache): PreparedInput[] {
  const record = decodeEcg({ bytes });
  const signals = createSignalCache();
  return models.map((m) => {
    const key = JSON.stringify([m.spec, m.thresholds]);
    let entry = cache.get(key);
    if (!entry) {
      // The gate's memo is keyed by the thresholds object: one object per distinct value lets models share it.
      const sameThresholds = [...cache.values()].find((e) => JSON.stringify(e.thresholds) === JSON.stringify(m.thresholds))?.thresholds ?? m.thresholds;
      entry = { preprocessor: createPreprocessor(m.spec, sameThresholds), thresholds: sameThresholds };
      cache.set(key, entry);
    }
    return entry.preprocessor.prepare(record, signals);
  });
}
