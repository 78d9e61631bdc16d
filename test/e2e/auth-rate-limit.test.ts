import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LOGIN_FAILURES_ALLOWED } from '../../src/auth/login-rate-limit';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';

// Guessing tokens at speed: failed logins from one address are limited, and once over the limit
// they are refused before the login, so they no longer add to the audit trail.

let gw: GatewayProcess;
before(async () => {
  gw = await startGateway();
});
after(() => gw.stop());

const login = (token: string): Promise<Response> =>
  fetch(`${gw.baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });

test(`after ${LOGIN_FAILURES_ALLOWED} failed logins an address gets 429 problem+json; each failure is audited with its address, the refused ones are not`, async () => {
  assert.equal((await login(gw.token!)).status, 200, 'a success does not count');
  for (let i = 0; i < LOGIN_FAILURES_ALLOWED; i++) assert.equal((await login(`ecggw_guess-${i}`)).status, 401);
  const refused = await login('ecggw_guess-more');
  assert.equal(refused.status, 429);
  assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.ok(Number(refused.headers.get('retry-after')) > 0);
  assert.equal(((await refused.json()) as { code: string }).code, 'AUTH_TOO_MANY_ATTEMPTS');
  assert.equal((await login('ecggw_guess-again')).status, 429);

  const audit = (await (await fetch(`${gw.baseUrl}/api/audit?limit=100`, { headers: gw.authHeaders() })).json()) as { items: Array<{ action: string; detail?: Record<string, unknown> }> };
  const failed = audit.items.filter((e) => e.action === 'session.login-failed');
  assert.equal(failed.length, LOGIN_FAILURES_ALLOWED);
  assert.ok(failed.every((e) => typeof e.detail?.['peer'] === 'string' && /127\.0\.0\.1/.test(String(e.detail['peer']))));
  assert.ok(!JSON.stringify(failed).includes('ecggw_guess'), 'never the token');
  // Bearer requests do not go through the login, so the API itself stays usable.
  assert.equal((await fetch(`${gw.baseUrl}/api/messages`, { headers: gw.authHeaders() })).status, 200);
});
