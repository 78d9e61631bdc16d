import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelayMs, decideDelivery, parseRetryAfterMs, type AttemptContext, type RetrySettings } from '../../src/fhir/delivery/retry-policy';

const settings: RetrySettings = { maxAttempts: 5, maxAgeMs: 3_600_000, baseDelayMs: 1000, maxDelayMs: 60_000 };
const t0 = new Date('2025-01-01T00:00:00Z');
const ctx = (over: Partial<AttemptContext> = {}): AttemptContext => ({ attempt: 1, firstAttemptAt: t0, now: t0, settings, random: 0.5, ...over });

test('2xx is delivered with the returned locations', () => {
  assert.deepEqual(decideDelivery({ kind: 'accepted', status: 200, locations: ['Observation/1'], entryStatuses: ['201'] }, ctx()), { action: 'delivered', locations: ['Observation/1'] });
});

test('408, 429 and 5xx are retried with exponential backoff and jitter', () => {
  for (const status of [408, 429, 500, 502, 503, 504]) {
    const d = decideDelivery({ kind: 'http-error', status, message: '' }, ctx({ attempt: 3 }));
    assert.equal(d.action, 'retry', String(status));
  }
  assert.equal(backoffDelayMs(1, settings, 0), 500);
  assert.equal(backoffDelayMs(1, settings, 0.999999), 1000);
  assert.equal(backoffDelayMs(3, settings, 0), 2000);
  assert.equal(backoffDelayMs(3, settings, 1), 4000);
  assert.equal(backoffDelayMs(30, settings, 1), 60_000, 'capped');
  const d = decideDelivery({ kind: 'http-error', status: 503, message: '' }, ctx({ attempt: 2, random: 0.25 }));
  assert.ok(d.action === 'retry' && d.delayMs === 1250 && d.retryAt.getTime() === t0.getTime() + 1250 && d.code === 'FHIR_UNAVAILABLE');
});

test('Retry-After (seconds or HTTP-date) is honoured when longer than the backoff', () => {
  assert.equal(parseRetryAfterMs('120', t0), 120_000);
  assert.equal(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', t0), 30_000);
  assert.equal(parseRetryAfterMs('soon', t0), undefined);
  const d = decideDelivery({ kind: 'http-error', status: 503, retryAfter: '120', message: '' }, ctx());
  assert.ok(d.action === 'retry' && d.delayMs === 120_000);
  const short = decideDelivery({ kind: 'http-error', status: 429, retryAfter: '0', message: '' }, ctx({ attempt: 4, random: 0 }));
  assert.ok(short.action === 'retry' && short.delayMs === 4000);
});

test('timeouts, connection errors and an unreachable authorization server are retried', () => {
  assert.equal(decideDelivery({ kind: 'network-error', reason: 'timeout', message: 'x' }, ctx()).action, 'retry');
  assert.equal(decideDelivery({ kind: 'network-error', reason: 'connection', message: 'ECONNREFUSED' }, ctx()).action, 'retry');
  const auth = decideDelivery({ kind: 'auth-error', transient: true, message: 'token endpoint unreachable' }, ctx());
  assert.ok(auth.action === 'retry' && auth.code === 'FHIR_AUTH_FAILED');
});

test('other 4xx are dead at once with the OperationOutcome as field and message', () => {
  const d = decideDelivery(
    { kind: 'http-error', status: 400, message: '', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text: 'Missing required property' }, expression: ['Bundle.entry[3].resource.status'] }] } },
    ctx(),
  );
  assert.deepEqual(d, { action: 'dead', code: 'FHIR_REJECTED', field: 'Bundle.entry[3].resource.status', message: 'the EHR answered 400: Missing required property' });
  for (const status of [404, 409, 412, 422]) assert.equal(decideDelivery({ kind: 'http-error', status, message: '' }, ctx()).action, 'dead');
  const forbidden = decideDelivery({ kind: 'http-error', status: 403, message: '' }, ctx());
  assert.ok(forbidden.action === 'dead' && forbidden.code === 'FHIR_AUTH_REJECTED');
  const refused = decideDelivery({ kind: 'auth-error', transient: false, status: 401, message: 'invalid_client' }, ctx());
  assert.ok(refused.action === 'dead' && refused.code === 'FHIR_AUTH_REJECTED');
});

test('retries stop at the attempt count and at the maximum age', () => {
  const last = decideDelivery({ kind: 'http-error', status: 503, message: '' }, ctx({ attempt: 5 }));
  assert.ok(last.action === 'dead' && last.code === 'FHIR_RETRIES_EXHAUSTED' && /after 5 attempts/.test(last.message));
  const old = decideDelivery({ kind: 'network-error', reason: 'timeout', message: '' }, ctx({ attempt: 2, now: new Date(t0.getTime() + 3_599_000) }));
  assert.ok(old.action === 'dead' && old.code === 'FHIR_RETRIES_EXHAUSTED');
  const within = decideDelivery({ kind: 'network-error', reason: 'timeout', message: '' }, ctx({ attempt: 2, now: new Date(t0.getTime() + 3_000_000) }));
  assert.equal(within.action, 'retry');
});
