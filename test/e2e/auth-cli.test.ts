import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { runCli } from '../helpers/run-cli';

/** `ecg-gateway token create|list|revoke` against the store of a running gateway (issue #8). */

describe('ecg-gateway token: API tokens for a running gateway', () => {
  let gw: GatewayProcess;
  const cli = (...args: string[]) => runCli(['token', ...args], { DATA_DIR: gw.dataDir });
  const status = async (token: string, path = '/api/messages'): Promise<number> =>
    (await fetch(`${gw.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).status;

  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.stop());

  test('create prints a new token once, which opens /api as its name; list shows names and dates, never hashes', async () => {
    const created = cli('create', 'ward-3');
    assert.equal(created.status, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^ecggw_[A-Za-z0-9_-]{43}$/);
    assert.equal(await status(token), 200);
    const who = (await (await fetch(`${gw.baseUrl}/api/session`, { headers: { authorization: `Bearer ${token}` } })).json()) as { principal: string };
    assert.equal(who.principal, 'ward-3');

    const listed = cli('list');
    assert.equal(listed.status, 0, listed.stderr);
    const rows = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(rows.map((r) => [r['name'], r['revokedAt']]), [['admin', null], ['ward-3', null]]);
    for (const r of rows) assert.deepEqual(Object.keys(r).sort(), ['createdAt', 'name', 'revokedAt']);
    assert.ok(!listed.stdout.includes(token));
  });

  test('revoke refuses the token and ends its sessions at once, on the running gateway', async () => {
    const token = cli('create', 'night-shift').stdout.trim();
    const login = await fetch(`${gw.baseUrl}/api/session`, { method: 'POST', body: JSON.stringify({ token }) });
    assert.equal(login.status, 200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    assert.equal((await fetch(`${gw.baseUrl}/api/messages`, { headers: { cookie } })).status, 200);

    const revoked = cli('revoke', 'night-shift');
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.equal(await status(token), 401);
    assert.equal((await fetch(`${gw.baseUrl}/api/messages`, { headers: { cookie } })).status, 401, 'its session ended');
    assert.equal((await fetch(`${gw.baseUrl}/api/session`, { method: 'POST', body: JSON.stringify({ token }) })).status, 401);
    const row = cli('list').stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; revokedAt: string | null }).find((r) => r.name === 'night-shift');
    assert.ok(row?.revokedAt !== null && row?.revokedAt !== undefined);

    const audit = (await (await fetch(`${gw.baseUrl}/api/audit`, { headers: gw.authHeaders() })).json()) as { items: Array<{ principal: string; action: string; detail?: { name?: string } }> };
    const cliEvents = audit.items.filter((e) => e.principal === 'cli').map((e) => `${e.action} ${e.detail?.name}`);
    assert.deepEqual(cliEvents.slice(0, 2), ['token.revoke night-shift', 'token.create night-shift']);
  });

  test('bad usage exits 2 with one readable line', () => {
    for (const args of [[], ['frob'], ['create'], ['create', 'has space'], ['create', 'admin'], ['create', 'gateway'], ['create', 'Admin'], ['create', 'ward-3'], ['revoke', 'nobody'], ['list', 'extra'], ['create', 'a', 'b']]) {
      const r = cli(...args);
      assert.equal(r.status, 2, `token ${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, /^error (CLI_USAGE|AUTH_TOKEN_EXISTS|AUTH_TOKEN_NOT_FOUND) \S+: /);
    }
  });
});
