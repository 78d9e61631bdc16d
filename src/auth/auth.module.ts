import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config.schema';
import { MessageStore } from '../store/message-store.port';
import { AccessStore } from './access-store.port';
import { AdminTokenBootstrap } from './admin-token.bootstrap';
import { AuditController } from './audit.controller';
import { AuditTrail } from './audit-trail.service';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator.service';
import { createAccessStore } from './create-access-store';
import { SessionController } from './session.controller';

/**
 * Authentication of /api (Bearer tokens, console sessions) and the audit trail. Global so that
 * every /api controller can record to the AuditTrail; the guard protects every /api route.
 */
@Global()
@Module({
  controllers: [SessionController, AuditController],
  providers: [
    {
      provide: AccessStore,
      // After the MessageStore: it has applied the shared migrations, access tables included.
      inject: [CONFIG, MessageStore],
      useFactory: (config: Config): Promise<AccessStore> => createAccessStore(config),
    },
    Authenticator,
    AuditTrail,
    AdminTokenBootstrap,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuditTrail],
})
export class AuthModule implements OnApplicationShutdown {
  constructor(private readonly store: AccessStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
