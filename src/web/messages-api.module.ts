import { Module } from '@nestjs/common';
import { MessageQueryService } from './message-query.service';
import { MessagesController } from './messages.controller';
import { ReplayMessageService } from './replay-message.service';

/** GET /api/messages, GET /api/messages/:id, POST /api/messages/:id/replay. */
@Module({
  controllers: [MessagesController],
  providers: [MessageQueryService, ReplayMessageService],
})
export class MessagesApiModule {}
