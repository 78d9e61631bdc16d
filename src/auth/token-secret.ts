import { createHash, randomBytes } from 'node:crypto';

/** Prefix of every generated token, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'ecggw_';

/** A new API token: 32 random bytes (256 bits), base64url. */
export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** A new session id for the `ecggw_session` cookie. */
export function generateSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What is stored of a token or session id. A plain sha256 (no salt, no slow KDF) is enough:
 * the secrets are 256-bit random, not passwords, so there is nothing to brute-force, and an
 * unsalted hash lets a request be matched by an indexed lookup.
 */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
