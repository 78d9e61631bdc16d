import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../config/config.module';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import type { AuditAction, AuditFilter, AuditPage } from './access-records';
import { AccessStore } from './access-store.port';

/**
 * Records who did what to which message. `record` resolves only once the event is committed
 * and otherwise throws AUDIT_UNAVAILABLE (500): the caller must not answer with patient data
 * it could not audit.
 */
@Injectable()
export class AuditTrail {
  private readonly logger: Logger;

  constructor(
    private readonly store: AccessStore,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ module: 'auth.audit' });
  }

  async record(principal: string, action: AuditAction, messageId?: string, detail?: Readonly<Record<string, unknown>>): Promise<void> {
    try {
      await this.store.appendAudit({ at: new Date(), principal, action, ...(messageId === undefined ? {} : { messageId }), ...(detail === undefined ? {} : { detail }) });
    } catch (err: unknown) {
      const code = isGatewayError(err) ? err.code : 'INTERNAL';
      this.logger.error({ action, messageId, code }, 'audit event not recorded; request refused');
      throw new GatewayError('AUDIT_UNAVAILABLE', 'the audit trail cannot be written now, so the request is refused', { cause: err });
    }
  }

  list(filter: AuditFilter): Promise<AuditPage> {
    return this.store.listAudit(filter);
  }
}
