import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { GatewayError } from '../errors/gateway-error';
import type { MessageRow } from '../store/message';
import { getMessageQuery, listMessagesQuery, messageId, parseQuery, toMessageFilter } from './message-query.schema';
import { MessageQueryService, type MessageDetail, type MessageListItem } from './message-query.service';
import { ReplayMessageService } from './replay-message.service';

/** Accepts only ids the store could have issued; others cannot exist (404, not 400). */
function checkedId(id: string): string {
  if (!messageId.safeParse(id).success) throw new GatewayError('API_NOT_FOUND', 'no message with this id', { field: 'id' });
  return id;
}

/** /api/messages: the inbox for analysts and the dashboard. Errors are problem+json (global filter). */
@Controller('api/messages')
export class MessagesController {
  constructor(
    private readonly query: MessageQueryService,
    private readonly replayer: ReplayMessageService,
  ) {}

  @Get()
  list(@Query() query: unknown): Promise<{ items: MessageListItem[]; nextCursor?: string }> {
    return this.query.list(toMessageFilter(parseQuery(listMessagesQuery, query)));
  }

  @Get(':id')
  get(@Param('id') id: string, @Query() query: unknown): Promise<MessageDetail> {
    const { raw } = parseQuery(getMessageQuery, query);
    return this.query.get(checkedId(id), raw === '1' || raw === 'true');
  }

  @Post(':id/replay')
  @HttpCode(200)
  replay(@Param('id') id: string): Promise<MessageRow> {
    return this.replayer.replay(checkedId(id));
  }
}
