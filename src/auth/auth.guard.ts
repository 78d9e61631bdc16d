import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { GatewayError, isGatewayError } from '../errors/gateway-error';
import type { AuthenticatedRequest } from './authenticated-request';
import { Authenticator } from './authenticator.service';
import { PUBLIC_ROUTE } from './public-route.decorator';

/** The header the console sends on state-changing requests (a cross-site form cannot set it). */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'ecg-gateway';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const isUnderApi = (path: string): boolean => /^\/*api(\/|$)/i.test(path);
const isUnderFhir = (path: string): boolean => /^\/*fhir(\/|$)/i.test(path);

/**
 * The embedded /fhir's CapabilityStatement: FHIR clients discover the server with it before they
 * authenticate, and it holds no patient data. Exact spelling only: any other spelling is not
 * the one route known to be harmless, so it needs credentials like the rest of /fhir.
 */
const isOpenFhirMetadata = (method: string, path: string): boolean => (method === 'GET' || method === 'HEAD') && path === '/fhir/metadata';

/** The paths a route was declared with (controller prefix + method path), for a decision that no spelling of the URL can dodge. */
function declaredPaths(context: ExecutionContext): string[] {
  const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : ['']);
  const prefixes = asList(Reflect.getMetadata(PATH_METADATA, context.getClass()));
  const paths = asList(Reflect.getMetadata(PATH_METADATA, context.getHandler()));
  return prefixes.flatMap((prefix) => paths.map((path) => `/${prefix}/${path}`.replace(/\/+/g, '/')));
}

/**
 * Global guard: every route under /api/ and under the embedded /fhir (patient data: Patient,
 * ECG results) needs a principal (Bearer token or session cookie); GET /fhir/metadata and
 * everything else (/health, /metrics, /docs, /dicomweb, the console shell) passes. On /fhir, and
 * only there, the gateway's own InternalCredential is accepted too (its deliveries).
 * A cookie-authenticated state change also needs `X-Requested-With: ecg-gateway` (CSRF):
 * SameSite=Strict already stops cross-site cookies, the header covers older browsers.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Express matches routes case-insensitively (/API/messages reaches /api/messages), so the
    // decision rests on the route's declared path as well as on the request's, case-folded.
    const declared = declaredPaths(context);
    const apiRoute = isUnderApi(req.path) || declared.some(isUnderApi);
    const fhirRoute = !apiRoute && (isUnderFhir(req.path) || declared.some(isUnderFhir));
    if (!apiRoute && !fhirRoute) return true;
    if (apiRoute && this.reflector.get<boolean>(PUBLIC_ROUTE, context.getHandler()) === true) return true;
    if (fhirRoute && isOpenFhirMetadata(req.method, req.path)) return true;
    const path = req.path.toLowerCase();
    try {
      req.principal = await this.authenticator.authenticate(req.get('authorization'), req.get('cookie'), new Date(), { acceptInternal: fhirRoute });
    } catch (err: unknown) {
      // RFC 6750 §3: a 401 names the scheme the client should use.
      if (isGatewayError(err) && err.code === 'AUTH_REQUIRED') context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
      throw err;
    }
    if (req.principal.via === 'session' && STATE_CHANGING.has(req.method) && !/^\/api\/session\/?$/.test(path) && req.get(CSRF_HEADER) !== CSRF_HEADER_VALUE) {
      throw new GatewayError('AUTH_CSRF_HEADER_MISSING', `a request authenticated by the session cookie must send "X-Requested-With: ${CSRF_HEADER_VALUE}"`, { field: 'X-Requested-With' });
    }
    return true;
  }
}
