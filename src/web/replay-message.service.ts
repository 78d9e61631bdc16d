import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditTrail } from '../auth/audit-trail.service';
import { ROOT_LOGGER } from '../config/config.module';
import { isGatewayError } from '../errors/gateway-error';
import type { MessageRow } from '../store/message';
import { MessageStore } from '../store/message-store.port';

/**
 * An analyst replays a failed or dead message: it goes back to `received` and through the whole
 * pipeline again; the timeline records the replay and the audit trail who asked for it, the
 * state before and the outcome (refusals too). Throws API_NOT_FOUND / MESSAGE_STATE_CONFLICT,
 * or AUDIT_UNAVAILABLE when the attempt cannot be audited.
 */
@Injectable()
export class ReplayMessageService {
  private readonly logger: Logger;

  constructor(
    private readonly store: MessageStore,
    private readonly audit: AuditTrail,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ module: 'api.replay' });
  }

  async replay(id: string, principal: string): Promise<MessageRow> {
    const stateBefore = (await this.store.get(id))?.state ?? null;
    // Audited before it is carried out: a replay whose audit cannot be written does not happen.
    await this.audit.record(principal, 'message.replay', id, { stateBefore, outcome: 'requested' });
    let row: MessageRow;
    try {
      row = await this.store.replay(id, 'received', new Date());
    } catch (err: unknown) {
      if (isGatewayError(err) && err.kind !== 'transient') await this.audit.record(principal, 'message.replay', id, { stateBefore, outcome: 'refused', code: err.code });
      throw err;
    }
    await this.audit.record(principal, 'message.replay', id, { stateBefore, outcome: 'replayed', stateAfter: row.state });
    this.logger.info({ messageId: id, state: row.state }, 'message replayed');
    return row;
  }
}
