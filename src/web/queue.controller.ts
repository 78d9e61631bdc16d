import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { MessageState } from '../store/message';
import { MessageStore } from '../store/message-store.port';

/** GET /api/queue: how many messages are in each state (the console's health page), from the shared store, so it holds across replicas. */
@ApiTags('messages')
@Controller('api/queue')
export class QueueController {
  constructor(private readonly store: MessageStore) {}

  @Get()
  @ApiOkResponse({ description: 'Message counts per state: received, decoded, scored (queue depth per stage), delivered, failed, dead.' })
  async counts(): Promise<{ counts: Readonly<Record<MessageState, number>> }> {
    return { counts: await this.store.countByState() };
  }
}
