import { Injectable } from '@nestjs/common';
import { decodeEcg } from '../ecg/decode/decode-ecg';
import type { ScoreResults } from '../inference/model-result';
import { ScoringService } from '../inference/scoring-service';
import type { ClaimedMessage } from '../store/message';
import type { Transition } from '../store/message-store.port';
import type { PipelineStage } from './pipeline-stage';

/**
 * decoded → scored: re-decodes the raw bytes and runs every loaded model (concurrent messages
 * share micro-batched runs). Indeterminate results are results and are stored as such, with
 * their reason. A decode error or a failed run propagates; the worker records it as failed/dead.
 */
@Injectable()
export class ScoreStage implements PipelineStage {
  readonly name = 'score';
  readonly from = 'decoded' as const;

  constructor(private readonly scoring: ScoringService) {}

  async run(claimed: ClaimedMessage): Promise<Transition> {
    const started = performance.now();
    const record = decodeEcg({ bytes: claimed.raw });
    const scores = await this.scoring.score(record);
    const scoreMs = performance.now() - started;
    const results = { scores } satisfies ScoreResults;
    return {
      to: 'scored',
      event: 'score',
      results,
      detail: {
        scoreMs,
        models: scores.map((s) => s.model.id),
        indeterminate: scores.flatMap((s) => (s.status === 'indeterminate' ? [{ model: s.model.id, reason: s.reason.code }] : [])),
        refusedModels: this.scoring.registry.refused.length,
      },
    };
  }
}
