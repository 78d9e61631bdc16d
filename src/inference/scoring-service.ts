import type { EcgRecord } from '../ecg/record';
import { createSignalCache } from '../ecg/signal/signal-cache';
import { GatewayError } from '../errors/gateway-error';
import type { LoadedModel } from './loaded-model';
import type { ModelResult } from './model-result';
import type { ModelRegistry } from './model-registry';

/**
 * The score use case: one ECG through every loaded model (or the ones asked for), concurrently;
 * concurrent calls share micro-batched session runs. Indeterminate results are results.
 */
export class ScoringService {
  constructor(readonly registry: ModelRegistry) {}

  /** Throws MODEL_NOT_FOUND when an asked-for model is not loaded (refused models name their reason). */
  score(record: EcgRecord, modelIds?: readonly string[]): Promise<ModelResult[]> {
    const cache = createSignalCache(); // models at the same rate share the gate and resampling
    return Promise.all(this.models(modelIds).map((m) => m.score(record, cache)));
  }

  /** The loaded models by id (all when undefined). Throws MODEL_NOT_FOUND. */
  models(modelIds?: readonly string[]): readonly LoadedModel[] {
    return modelIds === undefined ? this.registry.models : modelIds.map((id) => this.modelOrThrow(id));
  }

  private modelOrThrow(id: string): LoadedModel {
    const model = this.registry.get(id);
    if (model) return model;
    const refused = this.registry.refused.find((r) => r.id === id);
    throw new GatewayError('MODEL_NOT_FOUND', refused ? `model ${id} was refused at start (${refused.message})` : `no model "${id}" in ${this.registry.modelDir}`, { field: '--model' });
  }
}
