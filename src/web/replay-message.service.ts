import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../config/config.module';
import type { MessageRow } from '../store/message';
import { MessageStore } from '../store/message-store.port';

/**
 * An analyst replays a failed or dead message: it goes back to `received` and through the whole
 * pipeline again; the timeline records the replay. Throws API_NOT_FOUND / MESSAGE_STATE_CONFLICT.
 */
@Injectable()
export class ReplayMessageService {
  private readonly logger: Logger;

  constructor(
    private readonly store: MessageStore,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ module: 'api.replay' });
  }

  async replay(id: string): Promise<MessageRow> {
    const row = await this.store.replay(id, 'received', new Date());
    this.logger.info({ messageId: id, state: row.state }, 'message replayed');
    return row;
  }
}
