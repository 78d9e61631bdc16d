import { Injectable } from '@nestjs/common';
import type { ScoreResults } from '../inference/model-result';
import { ScoringService } from '../inference/scoring-service';
import type { ClaimedMessage } from '../store/message';
import type { Transition } from '../store/message-store.port';
import { DecodePool } from './decode-pool';
import type { PipelineStage } from './pipeline-stage';

/**
 * decoded → scored: re-decodes the raw bytes and prepares every loaded model's input (resampling,
 * filters, quality gate) on a DecodePool thread, then runs the models here (onnxruntime runs
 * natively; concurrent messages share micro-batched runs) and interprets their outputs.
 * Indeterminate results are results and are stored as such, with their reason. A decode error
 * or a failed run propagates; the worker records it as failed/dead.
 */
@Injectable()
export class ScoreStage implements PipelineStage {
  readonly name = 'score';
  readonly from = 'decoded' as const;

  constructor(
    private readonly scoring: ScoringService,
    private readonly pool: DecodePool,
  ) {}

  async run(claimed: ClaimedMessage): Promise<Transition> {
    const started = performance.now();
    const models = this.scoring.models();
    const specs = models.map((m) => ({ modelId: m.identity.id, spec: m.manifest.input, thresholds: m.qualityThresholds }));
    const { inputs, prepareMs } = await this.pool.prepareInputs(claimed.raw, specs);
    const scores = await Promise.all(models.map((m, i) => m.scorePrepared(inputs[i]!)));
    const scoreMs = performance.now() - started;
    const results = { scores } satisfies ScoreResults;
    return {
      to: 'scored',
      event: 'score',
      results,
      detail: {
        scoreMs,
        prepareMs,
        models: scores.map((s) => s.model.id),
        indeterminate: scores.flatMap((s) => (s.status === 'indeterminate' ? [{ model: s.model.id, reason: s.reason.code }] : [])),
        refusedModels: this.scoring.registry.refused.length,
      },
    };
  }
}
