import type { Config } from '../config/config.schema';
import { resolveModelDir } from './model-dir';
import type { RegistryOptions } from './model-registry';

/** The registry's settings from the validated config (MODEL_DIR, INFERENCE_*); `modelDir` overrides MODEL_DIR. */
export function registryOptions(config: Pick<Config, 'MODEL_DIR' | 'INFERENCE_THREADS' | 'INFERENCE_MAX_BATCH' | 'INFERENCE_MAX_WAIT_MS'>, modelDir?: string): RegistryOptions {
  return {
    modelDir: resolveModelDir(modelDir ?? config.MODEL_DIR),
    intraOpThreads: config.INFERENCE_THREADS,
    maxBatch: config.INFERENCE_MAX_BATCH,
    maxWaitMs: config.INFERENCE_MAX_WAIT_MS,
  };
}
