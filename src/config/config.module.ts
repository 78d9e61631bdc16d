import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Config } from './config.schema';

export const CONFIG = Symbol('CONFIG');
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Provides the validated config and the pino root logger to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Config, logger: Logger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
      ],
      exports: [CONFIG, ROOT_LOGGER],
    };
  }
}
