import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import type { Config } from './config/config.schema';
import { DicomIngestModule } from './ingest/dicom/dicom-ingest.module';
import { FhirModule } from './fhir/fhir.module';
import { Hl7IngestModule } from './ingest/hl7/hl7-ingest.module';
import { InferenceModule } from './inference/inference.module';
import { MetricsModule } from './metrics/metrics.module';
import { StowRsModule } from './ingest/http/stow-rs.module';
import { DeliverStage } from './pipeline/deliver.stage';
import { PipelineModule } from './pipeline/pipeline.module';
import { ScoreStage } from './pipeline/score.stage';
import { StoreModule } from './store/store.module';
import { MessagesApiModule } from './web/messages-api.module';
import { WebModule } from './web/web.module';

/** Wires the pure core to sockets, the store and the EHR. Feature modules are listed here. */
@Module({})
export class AppModule {
  static forRoot(config: Config, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        WebModule,
        StoreModule,
        AuthModule,
        MetricsModule,
        DicomIngestModule,
        StowRsModule,
        Hl7IngestModule,
        PipelineModule.forRoot({ imports: [InferenceModule, FhirModule.forRoot(config)], stages: [ScoreStage, DeliverStage] }),
        MessagesApiModule,
      ],
    };
  }
}
