import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { DecodePoolModule } from './decode-pool.module';
import { DecodeStage } from './decode.stage';
import { PIPELINE_STAGES, type PipelineStage } from './pipeline-stage';
import { PipelineWorker } from './pipeline-worker';

export interface PipelineOptions {
  /** Modules the extra stages depend on (e.g. the inference module for the score stage). */
  imports?: ModuleMetadata['imports'];
  /** Stages after decode, in the order the worker visits them. */
  stages?: ReadonlyArray<Type<PipelineStage>>;
}

/**
 * The pipeline worker and its stages. Nest has no multi-providers, so PIPELINE_STAGES is
 * assembled here from the decode stage plus the stage classes feature modules hand in:
 * `PipelineModule.forRoot({ imports: [InferenceModule], stages: [ScoreStage] })`.
 */
@Module({})
export class PipelineModule {
  static forRoot(options: PipelineOptions = {}): DynamicModule {
    const stages: Array<Type<PipelineStage>> = [DecodeStage, ...(options.stages ?? [])];
    return {
      module: PipelineModule,
      imports: [DecodePoolModule, ...(options.imports ?? [])],
      providers: [
        ...stages,
        { provide: PIPELINE_STAGES, inject: stages, useFactory: (...instances: PipelineStage[]): PipelineStage[] => instances },
        PipelineWorker,
      ],
    };
  }
}
