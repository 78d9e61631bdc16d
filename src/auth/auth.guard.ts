import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import type { AuthenticatedRequest } from './authenticated-request';
import { Authenticator } from './authenticator.service';

/** The header the console sends on state-changing requests (a cross-site form cannot set it). */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'ecg-gateway';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Only the login itself is open under /api. */
function isOpen(method: string, path: string): boolean {
  return method === 'POST' && path === '/api/session';
}

/**
 * Global guard: every route under /api/ needs a principal (Bearer token or session cookie);
 * everything else (/health, /metrics, /docs, /dicomweb, /fhir, the console shell) passes.
 * A cookie-authenticated state change also needs `X-Requested-With: ecg-gateway` (CSRF):
 * SameSite=Strict already stops cross-site cookies, the header covers older browsers.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly authenticator: Authenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const path = req.path;
    if (!(path === '/api' || path.startsWith('/api/')) || isOpen(req.method, path)) return true;
    try {
      req.principal = await this.authenticator.authenticate(req.get('authorization'), req.get('cookie'), new Date());
    } catch (err: unknown) {
      // RFC 6750 §3: a 401 names the scheme the client should use.
      if (isGatewayError(err) && err.code === 'AUTH_REQUIRED') context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
      throw err;
    }
    if (req.principal.via === 'session' && STATE_CHANGING.has(req.method) && path !== '/api/session' && req.get(CSRF_HEADER) !== CSRF_HEADER_VALUE) {
      throw new GatewayError('AUTH_CSRF_HEADER_MISSING', `a request authenticated by the session cookie must send "X-Requested-With: ${CSRF_HEADER_VALUE}"`, { field: 'X-Requested-With' });
    }
    return true;
  }
}
