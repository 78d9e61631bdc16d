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
import { InternalCredential } from './internal-credential';
import { SessionController } from './session.controller';

/**
 * Authentication of /api and the embedded /fhir (Bearer tokens, console sessions) and the audit
 * trail. Global so that every /api controller can record to the AuditTrail and the FHIR
 * delivery client can present the InternalCredential; the guard protects /api and /fhir.
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
    InternalCredential,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuditTrail, InternalCredential],
})
export class AuthModule implements OnApplicationShutdown {
  constructor(private readonly store: AccessStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
