import type { Request } from 'express';

/** Who made a request and how, set by AuthGuard on every /api request it lets through. */
export interface RequestPrincipal {
  name: string;
  via: 'bearer' | 'session';
  /** The session's hash and expiry when `via` is `session`. */
  session?: { hash: string; expiresAt: Date };
}

export type AuthenticatedRequest = Request & { principal?: RequestPrincipal };
