import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GatewayError } from '../errors/gateway-error';
import type { AuthenticatedRequest, RequestPrincipal } from './authenticated-request';

/** The principal AuthGuard attached to this /api request. */
export const Principal = createParamDecorator((_data: unknown, context: ExecutionContext): RequestPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // Only reachable if a route under /api were exempted from the guard by mistake: fail closed.
  if (principal === undefined) throw new GatewayError('AUTH_REQUIRED', 'authentication required', { field: 'Authorization' });
  return principal;
});
