import type { Request } from 'express';

/** Who made a request and how, set by AuthGuard on every /api and /fhir request it lets through. */
export interface RequestPrincipal {
  name: string;
  /** `internal`: the gateway's own delivery to its embedded /fhir (InternalCredential); never on /api. */
  via: 'bearer' | 'session' | 'internal';
  /** The session's hash and expiry when `via` is `session`. */
  session?: { hash: string; expiresAt: Date };
}

export type AuthenticatedRequest = Request & { principal?: RequestPrincipal };
