import { Injectable } from '@nestjs/common';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { secretHash } from './token-secret';

/** The principal of the gateway's own deliveries to its embedded /fhir. */
export const GATEWAY_PRINCIPAL = 'gateway';

/**
 * A random credential made at process start with which the gateway's delivery client
 * authenticates to its own embedded /fhir over loopback. Never stored, never logged, never
 * accepted on /api (AuthGuard asks for it only on /fhir). Per process: each replica delivers to
 * its own /fhir, so no replica needs another's secret, and a restart retires the old one.
 * The secret sits in a #private field so that util.inspect or JSON.stringify of this object
 * (a debug log of a provider, say) cannot print it.
 */
@Injectable()
export class InternalCredential {
  readonly #secret = randomBytes(32).toString('base64url');
  readonly #hash = Buffer.from(secretHash(this.#secret), 'hex');

  /** The `Authorization` header value the delivery client sends to the embedded /fhir. */
  authorization(): string {
    return `Bearer ${this.#secret}`;
  }

  /** Whether a presented Bearer token is this process's secret (constant-time over the hashes). */
  matches(token: string): boolean {
    return timingSafeEqual(Buffer.from(secretHash(token), 'hex'), this.#hash);
  }
}
