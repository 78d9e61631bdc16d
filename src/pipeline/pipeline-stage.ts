import type { ClaimedMessage } from '../store/message';
import type { MessageState } from '../store/message';
import type { Transition } from '../store/message-store.port';
import type { StageLease } from './lease-heartbeat';

/**
 * One step of the pipeline. The worker claims rows in `from`, calls `run`, and applies the
 * returned transition with the claim token (the claim is the lock: one worker per message).
 * Stages after decode re-decode the raw bytes (decoding is cheap) instead of persisting samples.
 * A thrown GatewayError becomes `failed` (bad-input/unsupported) or a retry (transient); a thrown
 * STORE_CLAIM_LOST means the stage found its claim gone (`lease`) and stopped: nothing is applied.
 */
export interface PipelineStage {
  readonly name: string;
  readonly from: MessageState;
  /**
   * `lease` (always given by the worker; optional so a stage that ignores it need not name it)
   * says whether the claim still holds: a stage must check `lease.isValid()` right before an
   * effect outside the store that another replica could repeat (the EHR POST).
   */
  run(claimed: ClaimedMessage, now: Date, lease?: StageLease): Promise<Transition>;
}

/**
 * The worker's stages, in visiting order. Nest has no multi-providers: PipelineModule.forRoot
 * assembles this from the decode stage plus the stage classes it is given
 * (`PipelineModule.forRoot({ imports: [InferenceModule], stages: [ScoreStage] })`).
 */
export const PIPELINE_STAGES = Symbol('PIPELINE_STAGES');
