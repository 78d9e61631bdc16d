import type { INestApplication } from '@nestjs/common';
import { rateLimit } from 'express-rate-limit';

/** Failed logins one address may make per window before further attempts are refused. */
export const LOGIN_FAILURES_ALLOWED = 10;
export const LOGIN_WINDOW_MS = 5 * 60_000;

/**
 * Limits failed `POST /api/session` per client address (express-rate-limit, counting only
 * failed answers), so a token cannot be guessed at speed and failed attempts cannot flood the
 * audit trail: once over the limit, attempts are answered 429 problem+json before they reach the
 * login (and so before each would be audited). The count is per gateway process (in memory); a
 * successful login does not count.
 */
export function mountLoginRateLimit(app: INestApplication): void {
  const limiter = rateLimit({
    windowMs: LOGIN_WINDOW_MS,
    limit: LOGIN_FAILURES_ALLOWED,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res, _next, options) => {
      const retryAfterS = Math.ceil(options.windowMs / 1000);
      res
        .status(429)
        .set('Retry-After', String(retryAfterS))
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: 'urn:ecg-gateway:error:AUTH_TOO_MANY_ATTEMPTS',
            title: 'AUTH_TOO_MANY_ATTEMPTS',
            status: 429,
            detail: `too many failed logins from this address; try again within ${retryAfterS} s`,
            code: 'AUTH_TOO_MANY_ATTEMPTS',
          }),
        );
    },
  });
  app.use('/api/session', (req: { method: string }, res: unknown, next: () => void) => (req.method === 'POST' ? limiter(req as never, res as never, next) : next()));
}
