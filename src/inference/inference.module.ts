import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, ROOT_LOGGER } from '../config/config.module';
import type { Config } from '../config/config.schema';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { HealthRegistry } from '../web/health-registry';
import { ModelRegistry } from './model-registry';
import { registryOptions } from './registry-options';
import { ScoringService } from './scoring-service';

/**
 * Loads every model in MODEL_DIR at start (refused ones are logged and kept with their reason;
 * the gateway starts regardless), provides ModelRegistry (model metadata, e.g. for FHIR Devices)
 * and ScoringService, reports the models on /health, and releases the sessions at shutdown.
 */
@Module({
  providers: [
    {
      provide: ModelRegistry,
      inject: [CONFIG, ROOT_LOGGER],
      useFactory: (config: Config, logger: Logger): Promise<ModelRegistry> => ModelRegistry.load(registryOptions(config), logger),
    },
    { provide: ScoringService, inject: [ModelRegistry], useFactory: (registry: ModelRegistry) => new ScoringService(registry) },
  ],
  exports: [ModelRegistry, ScoringService],
})
export class InferenceModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly health: HealthRegistry,
    private readonly metrics: GatewayMetrics,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const r = this.registry;
    // Always ok: a refused model must not take the gateway down; operators see why here.
    this.health.register('models', () => ({
      ok: true,
      detail: {
        modelDir: r.modelDir,
        loaded: r.models.map((m) => ({ id: m.identity.id, version: m.identity.version, sha256: m.identity.sha256, purpose: m.identity.purpose, clinicallyValidated: m.identity.clinicallyValidated })),
        refused: r.refused.map((x) => ({ id: x.id, code: x.code, field: x.field, message: x.message })),
      },
    }));
    this.metrics.watchModels(() => r.models);
    this.logger.info({ module: 'inference', modelDir: r.modelDir, loaded: r.models.length, refused: r.refused.length }, 'models ready');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
  }
}
