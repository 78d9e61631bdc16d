import { Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { GatewayError } from '../errors/gateway-error';
import { readRequestBody } from '../ingest/http/read-request-body';
import { AuditTrail } from './audit-trail.service';
import type { RequestPrincipal } from './authenticated-request';
import { Authenticator, authRequired, SESSION_COOKIE } from './authenticator.service';
import { Principal } from './principal.decorator';
import { PublicRoute } from './public-route.decorator';

/** A token is at most a few hundred bytes; anything larger is not a login. */
const MAX_LOGIN_BYTES = 4096;
const loginBody = z.object({ token: z.string().min(1).max(1024) }).strict();

/** `Secure` only when the browser reached us over https (directly or through a TLS-terminating proxy). */
function cameOverHttps(req: Request): boolean {
  return req.protocol === 'https' || req.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https';
}

async function readLogin(req: Request): Promise<string> {
  const bytes = await readRequestBody(req, req.get('content-length'), MAX_LOGIN_BYTES).catch(() => {
    throw new GatewayError('API_BAD_REQUEST', `the login body must be JSON of at most ${MAX_LOGIN_BYTES} bytes`, { field: 'body' });
  });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new GatewayError('API_BAD_REQUEST', 'the login body must be JSON: {"token": "..."}', { field: 'body' });
  }
  const parsed = loginBody.safeParse(json);
  if (!parsed.success) throw new GatewayError('API_BAD_REQUEST', 'the login body must be {"token": "<string>"}', { field: 'token' });
  return parsed.data.token;
}

/** /api/session: the console logs in with a token and then uses an HttpOnly session cookie. */
@ApiTags('session')
@Controller('api/session')
export class SessionController {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly audit: AuditTrail,
  ) {}

  @Post()
  @PublicRoute()
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } } })
  @ApiOkResponse({ description: `Logged in: {"principal"}; sets the HttpOnly cookie ${SESSION_COOKIE}.` })
  @ApiBadRequestResponse({ description: 'The body is not {"token": "..."} (problem+json, API_BAD_REQUEST).' })
  @ApiUnauthorizedResponse({ description: 'Unknown or revoked token (problem+json, AUTH_REQUIRED); audited as session.login-failed with the client address.' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins from this address (problem+json, AUTH_TOO_MANY_ATTEMPTS, Retry-After).' })
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ principal: string }> {
    const token = await readLogin(req);
    const principal = await this.authenticator.principalForToken(token);
    if (principal === undefined) {
      // Never the token in the trail: a mistyped one is often one character off a real one.
      await this.audit.record('unknown', 'session.login-failed', undefined, { reason: 'unknown or revoked token', peer: req.ip ?? 'unknown' });
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw authRequired('the token is unknown or revoked');
    }
    const { sessionId } = await this.authenticator.openSession(principal, new Date());
    await this.audit.record(principal, 'session.login');
    res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'strict', path: '/', secure: cameOverHttps(req) });
    return { principal };
  }

  @Get()
  @ApiBearerAuth()
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiOkResponse({ description: 'Who is logged in: {"principal", "expiresAt"} (expiresAt only for a session).' })
  @ApiUnauthorizedResponse({ description: 'Not logged in (problem+json, AUTH_REQUIRED).' })
  current(@Principal() principal: RequestPrincipal): { principal: string; expiresAt?: string } {
    return principal.session ? { principal: principal.name, expiresAt: principal.session.expiresAt.toISOString() } : { principal: principal.name };
  }

  @Delete()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiCookieAuth(SESSION_COOKIE)
  @ApiNoContentResponse({ description: 'Logged out: the session is ended and its cookie cleared.' })
  @ApiUnauthorizedResponse({ description: 'Not logged in (problem+json, AUTH_REQUIRED).' })
  async logout(@Principal() principal: RequestPrincipal, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (principal.session) await this.authenticator.closeSession(principal.session.hash);
    await this.audit.record(principal.name, 'session.logout');
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/' });
  }
}
