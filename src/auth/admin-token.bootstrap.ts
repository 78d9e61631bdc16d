import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { CONFIG, ROOT_LOGGER } from '../config/config.module';
import type { Config } from '../config/config.schema';
import { AccessStore } from './access-store.port';
import { adminTokenBanner, ensureAdminToken } from './admin-token';

/** At start: stores ADMIN_TOKEN's hash, or generates the admin token once and prints it once. */
@Injectable()
export class AdminTokenBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly store: AccessStore,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const outcome = await ensureAdminToken(this.store, this.config.ADMIN_TOKEN, new Date());
    // Straight to stdout, not through pino: the token must not land in a log pipeline's fields.
    if (outcome.kind === 'generated') process.stdout.write(adminTokenBanner(outcome.token));
    this.logger.info({ module: 'auth', adminToken: outcome.kind }, 'admin token ready');
  }
}
