import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { GatewayError } from '../errors/gateway-error';
import type { MessageRow } from '../store/message';
import { ApiQueryFrom } from './api-docs/zod-query-parameters';
import { getMessageQuery, listMessagesQuery, messageId, parseQuery, toMessageFilter } from './message-query.schema';
import { MessageQueryService, type MessageDetail, type MessageListItem } from './message-query.service';
import { ReplayMessageService } from './replay-message.service';

const MESSAGE_ID_PARAM = { name: 'id', required: true, schema: { type: 'string', format: 'uuid' } } as const;

/** Accepts only ids the store could have issued; others cannot exist (404, not 400). */
function checkedId(id: string): string {
  if (!messageId.safeParse(id).success) throw new GatewayError('API_NOT_FOUND', 'no message with this id', { field: 'id' });
  return id;
}

/** /api/messages: the inbox for analysts and the dashboard. Errors are problem+json (global filter). */
@ApiTags('messages')
@Controller('api/messages')
export class MessagesController {
  constructor(
    private readonly query: MessageQueryService,
    private readonly replayer: ReplayMessageService,
  ) {}

  @Get()
  @ApiQueryFrom(listMessagesQuery)
  @ApiOkResponse({ description: 'One page of messages, newest first, with nextCursor when more remain.' })
  @ApiBadRequestResponse({ description: 'An unknown or malformed query parameter (problem+json, API_BAD_REQUEST).' })
  list(@Query() query: unknown): Promise<{ items: MessageListItem[]; nextCursor?: string }> {
    return this.query.list(toMessageFilter(parseQuery(listMessagesQuery, query)));
  }

  @Get(':id')
  @ApiParam(MESSAGE_ID_PARAM)
  @ApiQueryFrom(getMessageQuery)
  @ApiOkResponse({ description: 'The message with its timeline, decoded summary, model results and delivery.' })
  @ApiNotFoundResponse({ description: 'No message with this id (problem+json).' })
  get(@Param('id') id: string, @Query() query: unknown): Promise<MessageDetail> {
    const { raw } = parseQuery(getMessageQuery, query);
    return this.query.get(checkedId(id), raw === '1' || raw === 'true');
  }

  @Post(':id/replay')
  @ApiParam(MESSAGE_ID_PARAM)
  @HttpCode(200)
  @ApiOkResponse({ description: 'A failed or dead message, sent back to received to go through the pipeline again.' })
  @ApiNotFoundResponse({ description: 'No message with this id (problem+json).' })
  @ApiConflictResponse({ description: 'The message is not failed or dead (problem+json, MESSAGE_STATE_CONFLICT).' })
  replay(@Param('id') id: string): Promise<MessageRow> {
    return this.replayer.replay(checkedId(id));
  }
}
