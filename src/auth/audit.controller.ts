import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiQueryFrom } from '../web/api-docs/zod-query-parameters';
import { parseQuery } from '../web/message-query.schema';
import type { AuditPage } from './access-records';
import { listAuditQuery, toAuditFilter } from './audit-query.schema';
import { AuditTrail } from './audit-trail.service';
import { SESSION_COOKIE } from './authenticator.service';

/** /api/audit: who opened, exported or replayed which message, and who logged in, newest first. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  @ApiQueryFrom(listAuditQuery)
  @ApiOkResponse({ description: 'One page of audit events {items: [{at, principal, action, messageId?, detail?}], nextCursor?}, newest first.' })
  @ApiBadRequestResponse({ description: 'An unknown or malformed query parameter (problem+json, API_BAD_REQUEST).' })
  @ApiUnauthorizedResponse({ description: 'No valid token or session (problem+json, AUTH_REQUIRED).' })
  list(@Query() query: unknown): Promise<AuditPage> {
    return this.audit.list(toAuditFilter(parseQuery(listAuditQuery, query)));
  }
}
