import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule } from './config/config.module';
import type { Config } from './config/config.schema';
import { StoreModule } from './store/store.module';
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
      ],
    };
  }
}
