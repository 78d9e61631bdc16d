import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { MllpSender } from '../../src/cli/mllp-sender';
import { startGateway, waitFor, type GatewayProcess } from '../helpers/gateway-process';
import { hl7Fixture, withControlId } from '../helpers/hl7-messages';
import { allMessages, getMessage, waitForPipeline } from '../helpers/messages-api';
import { fixture } from '../helpers/paths';
import { registeredApiRoutes } from '../helpers/registered-routes';

/**
 * Issue #8 on a real gateway process: /api needs a token or a console session, the open
 * endpoints stay open, and the audit trail records who opened and replayed which message.
 */

interface AuditItem {
  at: string;
  principal: string;
  action: string;
  messageId?: string;
  detail?: Record<string, unknown>;
}

async function problem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  assert.equal(res.status, status, `${res.url}: ${res.status}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(body['code'], code);
  return body;
}

/** The `ecggw_session=<id>` pair of a login response. */
function sessionCookie(res: Response): string {
  const setCookie = res.headers.get('set-cookie') ?? '';
  const m = /^(ecggw_session=[^;]+)/.exec(setCookie);
  assert.ok(m, `a session cookie in ${setCookie}`);
  return m[1]!;
}

async function login(gw: GatewayProcess, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gw.baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ token }) });
}

async function auditOf(gw: GatewayProcess, query = ''): Promise<AuditItem[]> {
  const res = await fetch(`${gw.baseUrl}/api/audit?${query}`, { headers: gw.authHeaders() });
  assert.equal(res.status, 200);
  return ((await res.json()) as { items: AuditItem[] }).items;
}

describe('authentication and audit of /api on a running gateway', () => {
  let gw: GatewayProcess;
  let goodId: string;
  let failedId: string;
  let patientId: string;

  before(async () => {
    gw = await startGateway();
    const mllp = await MllpSender.connect('127.0.0.1', gw.mllpPort);
    try {
      assert.equal((await mllp.send(withControlId(hl7Fixture(fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7')), 'AUTH-GOOD'))).code, 'AA');
      assert.equal((await mllp.send(hl7Fixture(fixture('hl7', 'ecg', 'bad', 'oru_missing_patient_id.hl7')))).code, 'AE');
    } finally {
      await mllp.close();
    }
    await waitForPipeline(gw.baseUrl, 60_000, gw.logs);
    const rows = await allMessages(gw.baseUrl);
    goodId = rows.find((m) => m.sourceId === 'AUTH-GOOD')!.id;
    failedId = rows.find((m) => m.state === 'failed')!.id;
    const summary = (await getMessage(gw.baseUrl, goodId)).summary as { patient?: { id?: string } } | undefined;
    patientId = String(summary?.patient?.id ?? '');
    assert.ok(patientId.length > 0, 'the fixture carries a patient id');
  });
  after(() => gw.stop());

  test('every /api route answers 401 problem+json AUTH_REQUIRED with WWW-Authenticate: Bearer, without or with a wrong token', async () => {
    const routes = registeredApiRoutes(gw.logs()).filter((r) => !(r.path === '/api/session' && r.method === 'POST'));
    assert.ok(routes.length >= 6, JSON.stringify(routes));
    for (const r of routes) {
      const url = `${gw.baseUrl}${r.path.replace(':id', goodId)}`;
      for (const headers of [{}, { authorization: 'Bearer ecggw_not-a-token' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }, { cookie: 'ecggw_session=not-a-session' }]) {
        const res = await fetch(url, { method: r.method, headers });
        const body = await problem(res, 401, 'AUTH_REQUIRED');
        assert.equal(res.headers.get('www-authenticate'), 'Bearer', `${r.method} ${r.path}`);
        assert.ok(!JSON.stringify(body).includes(patientId));
      }
    }
    // Express routes case-insensitively and ignores a trailing slash: no spelling gets past the guard.
    for (const path of ['/API/messages', '/Api/Audit', `/api/MESSAGES/${goodId}`, '/api/messages/', '/API/session']) {
      await problem(await fetch(`${gw.baseUrl}${path}`), 401, 'AUTH_REQUIRED');
    }
  });

  test('/health, /metrics, /docs, /docs/openapi.json and STOW-RS stay open and /health and /metrics carry no patient data', async () => {
    for (const path of ['/health', '/metrics', '/docs', '/docs/openapi.json']) {
      const res = await fetch(`${gw.baseUrl}${path}`);
      assert.equal(res.status, 200, path);
      if (path === '/health' || path === '/metrics') assert.ok(!(await res.text()).includes(patientId), `${path} has no patient id`);
    }
    // An ingest edge like MLLP: refused for its content type, not for credentials.
    const stow = await fetch(`${gw.baseUrl}/dicomweb/studies`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    assert.notEqual(stow.status, 401);
  });

  test('the OpenAPI document declares the bearer and cookie schemes on every /api operation but the login', async () => {
    const doc = (await (await fetch(`${gw.baseUrl}/docs/openapi.json`)).json()) as {
      components?: { securitySchemes?: Record<string, { type?: string; scheme?: string; in?: string; name?: string }> };
      paths: Record<string, Record<string, { security?: Array<Record<string, unknown>>; responses?: Record<string, unknown> }>>;
    };
    assert.deepEqual(doc.components?.securitySchemes?.['bearer'] && { type: doc.components.securitySchemes['bearer'].type, scheme: doc.components.securitySchemes['bearer'].scheme }, { type: 'http', scheme: 'bearer' });
    assert.equal(doc.components?.securitySchemes?.['ecggw_session']?.in, 'cookie');
    for (const [path, item] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/api'))) {
      for (const [method, op] of Object.entries(item)) {
        if (path === '/api/session' && method === 'post') assert.equal(op.security, undefined, 'the login is open');
        else assert.deepEqual(op.security, [{ bearer: [] }, { ecggw_session: [] }], `${method} ${path}`);
        if (!(path === '/api/session' && method === 'post')) assert.ok(op.responses?.['401'], `${method} ${path} documents 401`);
      }
    }
    assert.ok(doc.paths['/api/session']?.['post'] && doc.paths['/api/audit']?.['get'], 'session and audit are documented');
  });

  test('login sets an HttpOnly SameSite=Strict session cookie that opens /api; logout ends it', async () => {
    await problem(await login(gw, 'ecggw_wrong-token'), 401, 'AUTH_REQUIRED');
    await problem(await fetch(`${gw.baseUrl}/api/session`, { method: 'POST', body: 'not json' }), 400, 'API_BAD_REQUEST');

    const res = await login(gw, gw.token!);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { principal: 'admin' });
    const setCookie = res.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^ecggw_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const cookie = sessionCookie(res);

    const session = await fetch(`${gw.baseUrl}/api/session`, { headers: { cookie } });
    assert.equal(session.status, 200);
    const who = (await session.json()) as { principal: string; expiresAt: string };
    assert.equal(who.principal, 'admin');
    assert.ok(Date.parse(who.expiresAt) > Date.now(), 'expires in the future');
    assert.equal((await fetch(`${gw.baseUrl}/api/messages`, { headers: { cookie } })).status, 200);
    // Basic credentials of a reverse proxy in front of the console are not ours: the cookie still decides.
    assert.equal((await fetch(`${gw.baseUrl}/api/messages`, { headers: { cookie, authorization: 'Basic cHJveHk6cHJveHk=' } })).status, 200);

    const out = await fetch(`${gw.baseUrl}/api/session`, { method: 'DELETE', headers: { cookie } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /^ecggw_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    await problem(await fetch(`${gw.baseUrl}/api/messages`, { headers: { cookie } }), 401, 'AUTH_REQUIRED');
    await problem(await fetch(`${gw.baseUrl}/api/session`, { headers: { cookie } }), 401, 'AUTH_REQUIRED');

    const actions = (await auditOf(gw)).map((e) => `${e.principal} ${e.action}`);
    assert.deepEqual(actions.slice(0, 3), ['admin session.logout', 'admin session.login', 'unknown session.login-failed']);
    const failed = (await auditOf(gw)).find((e) => e.action === 'session.login-failed')!;
    assert.ok(!JSON.stringify(failed).includes('ecggw_wrong-token'), 'the tried token is not in the trail');
  });

  test('the cookie is Secure when the request came over https (X-Forwarded-Proto)', async () => {
    const res = await login(gw, gw.token!, { 'x-forwarded-proto': 'https' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('set-cookie') ?? '', /; Secure/);
  });

  test('a state change with the session cookie needs X-Requested-With: ecg-gateway; Bearer requests do not', async () => {
    const cookie = sessionCookie(await login(gw, gw.token!));
    const url = `${gw.baseUrl}/api/messages/${goodId}/replay`;
    await problem(await fetch(url, { method: 'POST', headers: { cookie } }), 403, 'AUTH_CSRF_HEADER_MISSING');
    await problem(await fetch(url, { method: 'POST', headers: { cookie, 'x-requested-with': 'XMLHttpRequest' } }), 403, 'AUTH_CSRF_HEADER_MISSING');
    // Past the CSRF check: the message did not fail, so the replay itself is refused.
    await problem(await fetch(url, { method: 'POST', headers: { cookie, 'x-requested-with': 'ecg-gateway' } }), 409, 'MESSAGE_STATE_CONFLICT');
    await problem(await fetch(url, { method: 'POST', headers: gw.authHeaders() }), 409, 'MESSAGE_STATE_CONFLICT');
    // Reads need no header.
    assert.equal((await fetch(`${gw.baseUrl}/api/messages`, { headers: { cookie } })).status, 200);
  });

  test('the audit trail shows who opened a message, its raw bytes, and who replayed it with the state before and the outcome', async () => {
    const cookie = sessionCookie(await login(gw, gw.token!));
    assert.equal((await fetch(`${gw.baseUrl}/api/messages/${goodId}`, { headers: gw.authHeaders() })).status, 200);
    assert.equal((await fetch(`${gw.baseUrl}/api/messages/${goodId}?raw=1`, { headers: { cookie } })).status, 200);
    const opened = await auditOf(gw, `messageId=${goodId}`);
    assert.deepEqual(opened.slice(0, 2).map((e) => [e.principal, e.action, e.messageId]), [
      ['admin', 'message.raw', goodId],
      ['admin', 'message.open', goodId],
    ]);
    assert.ok(opened.every((e) => e.messageId === goodId), 'filtered by message');
    assert.ok(!JSON.stringify(opened).includes(patientId), 'the trail holds no patient data');

    const replay = await fetch(`${gw.baseUrl}/api/messages/${failedId}/replay`, { method: 'POST', headers: { cookie, 'x-requested-with': 'ecg-gateway' } });
    assert.equal(replay.status, 200);
    const [latest, before] = await auditOf(gw, `messageId=${failedId}`);
    assert.deepEqual(latest && { principal: latest.principal, action: latest.action, detail: latest.detail }, {
      principal: 'admin',
      action: 'message.replay',
      detail: { stateBefore: 'failed', outcome: 'replayed', stateAfter: 'received' },
    });
    // Audited before it was carried out, then its outcome.
    assert.deepEqual(before && [before.action, before.detail], ['message.replay', { stateBefore: 'failed', outcome: 'requested' }]);
    // The refused replay of the previous test is on the trail too.
    const replays = (await auditOf(gw, `messageId=${goodId}`)).filter((e) => e.action === 'message.replay');
    const refused = replays.filter((e) => e.detail?.['outcome'] === 'refused');
    assert.ok(refused.length >= 2 && refused.every((e) => e.detail?.['code'] === 'MESSAGE_STATE_CONFLICT'));
    assert.equal(replays.filter((e) => e.detail?.['outcome'] === 'requested').length, refused.length, 'each refusal was requested first');

    assert.equal((await fetch(`${gw.baseUrl}/api/messages/${goodId}/waveform`, { headers: gw.authHeaders() })).status, 200);
    const [waveform] = await auditOf(gw, `messageId=${goodId}`);
    assert.deepEqual(waveform && [waveform.principal, waveform.action], ['admin', 'message.waveform']);
    await waitFor(async () => (await getMessage(gw.baseUrl, failedId)).state === 'failed', 30_000, 'the replayed message to fail again', gw.logs);
  });

  test('GET /api/audit pages newest first with a cursor and refuses unknown parameters', async () => {
    const first = (await (await fetch(`${gw.baseUrl}/api/audit?limit=2`, { headers: gw.authHeaders() })).json()) as { items: AuditItem[]; nextCursor?: string };
    assert.equal(first.items.length, 2);
    assert.ok(first.nextCursor);
    assert.ok(Date.parse(first.items[0]!.at) >= Date.parse(first.items[1]!.at));
    const second = (await (await fetch(`${gw.baseUrl}/api/audit?limit=2&cursor=${first.nextCursor}`, { headers: gw.authHeaders() })).json()) as { items: AuditItem[] };
    assert.ok(Date.parse(second.items[0]!.at) <= Date.parse(first.items[1]!.at));
    await problem(await fetch(`${gw.baseUrl}/api/audit?who=me`, { headers: gw.authHeaders() }), 400, 'API_BAD_REQUEST');
    await problem(await fetch(`${gw.baseUrl}/api/audit?messageId=not-a-uuid`, { headers: gw.authHeaders() }), 400, 'API_BAD_REQUEST');
  });

  test('when the audit event cannot be written the request fails with 500 and no patient data', async (t) => {
    // A real failure of the real store: a trigger in the gateway's own SQLite file refuses audit inserts.
    const db = new Database(join(gw.dataDir, 'ecg-gateway.sqlite'));
    db.pragma('busy_timeout = 5000');
    t.after(() => {
      db.exec('DROP TRIGGER IF EXISTS audit_down');
      db.close();
    });
    const replaysBefore = (await getMessage(gw.baseUrl, failedId)).timeline?.filter((e) => e.event === 'replay').length;
    db.exec(`CREATE TRIGGER audit_down BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit store down'); END`);
    const res = await fetch(`${gw.baseUrl}/api/messages/${goodId}`, { headers: gw.authHeaders() });
    const body = await problem(res, 500, 'AUDIT_UNAVAILABLE');
    assert.ok(!JSON.stringify(body).includes(patientId));
    await problem(await fetch(`${gw.baseUrl}/api/messages/${goodId}/waveform`, { headers: gw.authHeaders() }), 500, 'AUDIT_UNAVAILABLE');
    await problem(await fetch(`${gw.baseUrl}/api/messages/${failedId}/replay`, { method: 'POST', headers: gw.authHeaders() }), 500, 'AUDIT_UNAVAILABLE');
    db.exec('DROP TRIGGER audit_down');
    const after = await getMessage(gw.baseUrl, failedId);
    assert.equal(after.state, 'failed', 'a replay that could not be audited was not carried out');
    assert.equal(after.timeline?.filter((e) => e.event === 'replay').length, replaysBefore);
    assert.equal((await fetch(`${gw.baseUrl}/api/messages/${goodId}`, { headers: gw.authHeaders() })).status, 200, 'served again once the trail can be written');
  });
});
