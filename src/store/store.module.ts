import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, ROOT_LOGGER } from '../config/config.module';
import type { Config } from '../config/config.schema';
import { HealthRegistry } from '../web/health-registry';
import { createMessageStore } from './create-message-store';
import { MessageStore } from './message-store.port';

/**
 * Provides the `MessageStore` port (PostgreSQL when DATABASE_URL is set, else SQLite in
 * DATA_DIR), registers the `store` readiness check, and closes the store after every listener and
 * worker has stopped (they stop in `beforeApplicationShutdown`).
 */
@Global()
@Module({
  providers: [
    {
      provide: MessageStore,
      inject: [CONFIG],
      useFactory: (config: Config): Promise<MessageStore> => createMessageStore(config),
    },
  ],
  exports: [MessageStore],
})
export class StoreModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly store: MessageStore,
    private readonly health: HealthRegistry,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.health.register('store', async () => ({ ok: await this.store.isWritable() }));
    this.logger.info({ module: 'store', adapter: this.store.constructor.name }, 'store ready');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.info({ module: 'store' }, 'store closed');
  }
}
