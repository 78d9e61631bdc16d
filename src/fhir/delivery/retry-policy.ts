import type { ErrorCode } from '../../errors/error-codes';
import type { EhrOutcome } from './ehr-client.port';

export interface RetrySettings {
  /** Attempts in all, the first included (DELIVERY_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** No attempt later than this after the first one (DELIVERY_MAX_AGE_MS). */
  maxAgeMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export type DeliveryDecision =
  | { action: 'delivered'; locations: string[] }
  | { action: 'retry'; retryAt: Date; delayMs: number; code: ErrorCode; message: string }
  | { action: 'dead'; code: ErrorCode; field?: string; message: string };

export interface AttemptContext {
  /** 1 for the first attempt of this delivery (since the last replay). */
  attempt: number;
  firstAttemptAt: Date;
  now: Date;
  settings: RetrySettings;
  /** In [0, 1): the jitter source (Math.random in the shell, fixed in tests). */
  random: number;
}

/** HTTP statuses worth retrying: 408 Request Timeout, 429 Too Many Requests, every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `now`; undefined if absent or bad. */
export function parseRetryAfterMs(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** Exponential backoff with "equal jitter": half the step for sure, the other half random. */
export function backoffDelayMs(attempt: number, settings: RetrySettings, random: number): number {
  const step = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random * step) / 2);
}

/**
 * What to do after one delivery attempt: 2xx → delivered with the locations; 408/429/5xx,
 * timeouts, connection errors and an unreachable authorization server → retry after the
 * backoff (at least Retry-After), unless that would pass the attempt count or the maximum
 * age; any other 4xx (and a refused client) → dead at once, with the OperationOutcome's
 * first issue as field and message.
 */
export function decideDelivery(outcome: EhrOutcome, ctx: AttemptContext): DeliveryDecision {
  switch (outcome.kind) {
    case 'accepted':
      return { action: 'delivered', locations: outcome.locations };
    case 'http-error':
      if (!isRetryableStatus(outcome.status)) {
        const issue = outcome.outcome?.issue?.[0];
        const field = issue?.expression?.[0];
        return {
          action: 'dead',
          code: outcome.status === 401 || outcome.status === 403 ? 'FHIR_AUTH_REJECTED' : 'FHIR_REJECTED',
          ...(field ? { field } : {}),
          message: `the EHR answered ${outcome.status}: ${issue?.details?.text ?? issue?.diagnostics ?? outcome.message}`,
        };
      }
      return retryOrGiveUp('FHIR_UNAVAILABLE', `the EHR answered ${outcome.status}`, parseRetryAfterMs(outcome.retryAfter, ctx.now), ctx);
    case 'network-error':
      return retryOrGiveUp('FHIR_UNAVAILABLE', outcome.reason === 'timeout' ? 'the EHR did not answer in time' : `cannot reach the EHR: ${outcome.message}`, undefined, ctx);
    case 'auth-error':
      if (!outcome.transient) return { action: 'dead', code: 'FHIR_AUTH_REJECTED', message: outcome.message };
      return retryOrGiveUp('FHIR_AUTH_FAILED', outcome.message, undefined, ctx);
  }
}

function retryOrGiveUp(code: ErrorCode, message: string, retryAfterMs: number | undefined, ctx: AttemptContext): DeliveryDecision {
  const delayMs = Math.max(backoffDelayMs(ctx.attempt, ctx.settings, ctx.random), retryAfterMs ?? 0);
  const retryAt = new Date(ctx.now.getTime() + delayMs);
  if (ctx.attempt >= ctx.settings.maxAttempts) {
    return { action: 'dead', code: 'FHIR_RETRIES_EXHAUSTED', message: `${message}; gave up after ${ctx.attempt} attempts` };
  }
  if (retryAt.getTime() - ctx.firstAttemptAt.getTime() > ctx.settings.maxAgeMs) {
    return { action: 'dead', code: 'FHIR_RETRIES_EXHAUSTED', message: `${message}; the next attempt would be later than ${ctx.settings.maxAgeMs} ms after the first` };
  }
  return { action: 'retry', retryAt, delayMs, code, message };
}
