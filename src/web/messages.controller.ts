import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuditTrail } from '../auth/audit-trail.service';
import type { RequestPrincipal } from '../auth/authenticated-request';
import { SESSION_COOKIE } from '../auth/authenticator.service';
import { Principal } from '../auth/principal.decorator';
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

/**
 * /api/messages: the inbox for analysts and the dashboard. Errors are problem+json (global
 * filter). AuthGuard has authenticated every request; opening a message is audited before its
 * data is returned.
 */
@ApiTags('messages')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@ApiUnauthorizedResponse({ description: 'No valid token or session (problem+json, AUTH_REQUIRED).' })
@Controller('api/messages')
export class MessagesController {
  constructor(
    private readonly query: MessageQueryService,
    private readonly replayer: ReplayMessageService,
    private readonly audit: AuditTrail,
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
  async get(@Param('id') id: string, @Query() query: unknown, @Principal() principal: RequestPrincipal): Promise<MessageDetail> {
    const { raw } = parseQuery(getMessageQuery, query);
    const withRaw = raw === '1' || raw === 'true';
    const detail = await this.query.get(checkedId(id), withRaw);
    await this.audit.record(principal.name, withRaw ? 'message.raw' : 'message.open', id);
    return detail;
  }

  @Post(':id/replay')
  @ApiParam(MESSAGE_ID_PARAM)
  @HttpCode(200)
  @ApiOkResponse({ description: 'A failed or dead message, sent back to received to go through the pipeline again.' })
  @ApiNotFoundResponse({ description: 'No message with this id (problem+json).' })
  @ApiConflictResponse({ description: 'The message is not failed or dead (problem+json, MESSAGE_STATE_CONFLICT).' })
  @ApiForbiddenResponse({ description: 'Session cookie without "X-Requested-With: ecg-gateway" (problem+json, AUTH_CSRF_HEADER_MISSING).' })
  replay(@Param('id') id: string, @Principal() principal: RequestPrincipal): Promise<MessageRow> {
    return this.replayer.replay(checkedId(id), principal.name);
  }
}
