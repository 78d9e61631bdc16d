import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config.schema';
import { GatewayError } from '../errors/gateway-error';
import { AccessStore } from './access-store.port';
import type { RequestPrincipal } from './authenticated-request';
import { GATEWAY_PRINCIPAL, InternalCredential } from './internal-credential';
import { readCookie } from './read-cookie';
import { generateSessionId, secretHash } from './token-secret';

export const SESSION_COOKIE = 'ecggw_session';

export function authRequired(message: string): GatewayError {
  return new GatewayError('AUTH_REQUIRED', message, { field: 'Authorization' });
}

/** Where a credential is presented: the gateway's own credential counts only on the embedded /fhir. */
export interface AuthenticateOptions {
  acceptInternal: boolean;
}

/**
 * Turns credentials into a principal: a Bearer API token or the console's session cookie, and on
 * the embedded /fhir also the gateway's InternalCredential. Only hashes are looked up, so the
 * stored form never has to be compared with a secret.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly store: AccessStore,
    @Inject(CONFIG) private readonly config: Config,
    private readonly internal: InternalCredential,
  ) {}

  /** Throws AUTH_REQUIRED when the request carries no valid credential. */
  async authenticate(authorization: string | undefined, cookieHeader: string | undefined, now: Date, options: AuthenticateOptions = { acceptInternal: false }): Promise<RequestPrincipal> {
    // Another scheme (e.g. Basic from a reverse proxy in front of the console) is not ours: the session cookie decides.
    if (authorization !== undefined && /^Bearer\b/i.test(authorization.trimStart())) {
      // RFC 6750 §2.1: `Bearer <token>`; the scheme is case-insensitive.
      const m = /^\s*Bearer +(\S+)\s*$/i.exec(authorization);
      if (!m) throw authRequired('the Authorization header must be "Bearer <token>"');
      // Elsewhere the internal secret is just an unknown token: it falls through to the store and is refused.
      if (options.acceptInternal && this.internal.matches(m[1]!)) return { name: GATEWAY_PRINCIPAL, via: 'internal' };
      const name = await this.store.principalForToken(secretHash(m[1]!));
      if (name === undefined) throw authRequired('the token is unknown or revoked');
      return { name, via: 'bearer' };
    }
    const sessionId = readCookie(cookieHeader, SESSION_COOKIE);
    if (sessionId !== undefined && sessionId !== '') {
      const hash = secretHash(sessionId);
      const session = await this.store.findSession(hash, now);
      if (session) return { name: session.principal, via: 'session', session: { hash, expiresAt: session.expiresAt } };
      throw authRequired('the session has ended; log in again');
    }
    throw authRequired('send "Authorization: Bearer <token>" or log in at POST /api/session');
  }

  /** The principal of a token, or undefined (login with a wrong token). */
  principalForToken(token: string): Promise<string | undefined> {
    return this.store.principalForToken(secretHash(token));
  }

  /** Opens a session for `principal`; returns the cookie value (only its hash is stored). */
  async openSession(principal: string, now: Date): Promise<{ sessionId: string; expiresAt: Date }> {
    const sessionId = generateSessionId();
    const expiresAt = new Date(now.getTime() + this.config.SESSION_TTL_MS);
    await this.store.createSession({ sessionHash: secretHash(sessionId), principal, createdAt: now, expiresAt });
    return { sessionId, expiresAt };
  }

  closeSession(sessionHash: string): Promise<void> {
    return this.store.deleteSession(sessionHash);
  }
}
