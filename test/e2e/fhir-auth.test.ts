import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Bundle, CapabilityStatement, Observation, OperationOutcome } from '@medplum/fhirtypes';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { FAST_RETRY_ENV, hl7Text, isDelivered, resourcesOf, sendHl7, waitForMessage } from '../helpers/fhir-server-e2e';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { fixture } from '../helpers/paths';

/**
 * The embedded /fhir holds Patient resources and ECG results, so it needs a principal like /api
 * (real gateway, FHIR_BASE_URL unset, an ECG over real MLLP): 401 OperationOutcome without one,
 * /fhir/metadata open, the gateway's own deliveries authenticated by a per-process credential
 * that /api refuses, and every person's read in the audit trail.
 */

const systems = loadFhirMappings()['identifier-systems'];
const MA = fixture('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const CONTROL_ID = 'ECG-MA-0001';
const PATIENT_ID = 'SBJ-123';
const PATIENT_SYSTEM = systems.patient.defaultTemplate.replace('{issuer}', 'ECGTOOLKIT');
const ecgQuery = `Observation?identifier=${encodeURIComponent(systems.ecg)}|${encodeURIComponent(`hl7:ECGCART/CARDIOLOGY/${CONTROL_ID}`)}`;

interface AuditItem {
  principal: string;
  action: string;
  detail?: Record<string, unknown>;
}

/**
 * A preload for the gateway process (NODE_OPTIONS=--require) that writes down the Authorization
 * header of every request the process itself sends to a /fhir path. The credential is never
 * logged or stored, so watching the gateway's own client is the only way a test can hold it.
 * fhir-kit-client sends through the global fetch (Node 20's), which this wraps.
 */
function credentialTap(dir: string): { preload: string; seen: () => string[] } {
  const file = join(dir, 'fhir-authorization.txt');
  const preload = join(dir, 'tap-fhir-authorization.cjs');
  writeFileSync(
    preload,
    `const { appendFileSync } = require('node:fs');
const original = globalThis.fetch;
globalThis.fetch = function (input, init) {
  const url = new URL(typeof input === 'string' ? input : input.url ?? String(input));
  const headers = input instanceof Request ? input.headers : new Headers(init?.headers);
  if (url.pathname.startsWith('/fhir')) appendFileSync(${JSON.stringify(file)}, (headers.get('authorization') ?? '(none)') + '\\n');
  return original.call(this, input, init);
};
`,
  );
  return { preload, seen: () => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Asserts an OperationOutcome answer; `issueCode` undefined where the FHIR engine picks it. */
async function outcomeOf(res: Response, status: number, issueCode: string | undefined): Promise<OperationOutcome> {
  assert.equal(res.status, status, `${res.url}: ${res.status}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/fhir\+json/);
  const body = (await res.json()) as OperationOutcome;
  assert.equal(body.resourceType, 'OperationOutcome');
  if (issueCode !== undefined) assert.equal(body.issue[0]?.code, issueCode);
  return body;
}

describe('the embedded /fhir needs authentication like /api (real gateway, MLLP, FHIR_BASE_URL unset)', () => {
  let gw: GatewayProcess;
  let tapDir: string;
  let tap: ReturnType<typeof credentialTap>;
  const fhir = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${gw.baseUrl}/fhir/${path}`, init);

  before(async () => {
    tapDir = mkdtempSync(join(tmpdir(), 'ecggw-fhir-auth-'));
    tap = credentialTap(tapDir);
    gw = await startGateway({ env: { ...FAST_RETRY_ENV, NODE_OPTIONS: `--require ${tap.preload}` } });
  });
  after(async () => {
    await gw?.stop();
    rmSync(tapDir, { recursive: true, force: true });
  });

  test('without credentials GET /fhir/Observation is 401 with an OperationOutcome and WWW-Authenticate: Bearer', async () => {
    const res = await fhir('Observation');
    const outcome = await outcomeOf(res, 401, 'login');
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.equal(outcome.issue[0]?.details?.coding?.[0]?.code, 'AUTH_REQUIRED');
    // Every other way in needs it too: the base (batch), a read by id, the path in capitals (Express matches it), a wrong token.
    await outcomeOf(await fhir('', { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Bundle', type: 'batch' }) }), 401, 'login');
    await outcomeOf(await fhir('Patient/anything'), 401, 'login');
    await outcomeOf(await fetch(`${gw.baseUrl}/FHIR/Observation`), 401, 'login');
    await outcomeOf(await fhir('Observation', { headers: { authorization: 'Bearer ecggw_not-a-token' } }), 401, 'login');
  });

  test('GET /fhir/metadata stays open: FHIR clients discover the server before they authenticate', async () => {
    const res = await fhir('metadata');
    assert.equal(res.status, 200);
    const capability = (await res.json()) as CapabilityStatement;
    assert.equal(capability.resourceType, 'CapabilityStatement');
    assert.equal(capability.fhirVersion, '4.0.1');
  });

  test('an absolute-form request target that is no valid URL gets 400, not 500', async () => {
    // What a broken client or a probe can send; fetch() cannot, so a raw socket does.
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(gw.httpPort, '127.0.0.1', () => socket.write('GET http://localhost@/fhir/metadata HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(head, /^HTTP\/1\.1 (400|401) /, head.slice(0, 200));
  });

  test('an ECG sent over MLLP is delivered to the embedded /fhir with the gateway credential, and readable with a token', async () => {
    assert.equal(await sendHl7(gw, hl7Text(MA)), 'AA');
    await waitForMessage(gw, CONTROL_ID, isDelivered, 'delivered to the embedded /fhir');
    const res = await fhir(ecgQuery, { headers: gw.authHeaders() });
    assert.equal(res.status, 200);
    const [ecg] = resourcesOf<Observation>((await res.json()) as Bundle);
    assert.ok(ecg, 'the ECG Observation is there');
    const read = await fhir(`Observation/${ecg.id}`, { headers: gw.authHeaders() });
    assert.equal(read.status, 200);
    assert.equal(((await read.json()) as Observation).id, ecg.id);
    const patients = await fhir(`Patient?identifier=${encodeURIComponent(PATIENT_SYSTEM)}|${PATIENT_ID}`, { headers: gw.authHeaders() });
    assert.equal(resourcesOf((await patients.json()) as Bundle).length, 1);
    // The delivery presented a Bearer credential that is not the admin token.
    const sent = tap.seen();
    assert.ok(sent.length > 0 && sent.every((a) => /^Bearer \S+$/.test(a) && a !== `Bearer ${gw.token}`), sent.map((a) => a.slice(0, 12)).join(' '));
  });

  test('the gateway credential opens only /fhir: /api answers 401, and it is in no log line and no file of DATA_DIR', async () => {
    const authorization = tap.seen()[0];
    assert.ok(authorization, 'a delivery was seen');
    assert.equal((await fhir('Observation?_count=1', { headers: { authorization } })).status, 200, 'it is what the delivery used');
    for (const path of ['/api/messages', '/api/audit', '/api/session']) {
      const res = await fetch(`${gw.baseUrl}${path}`, { headers: { authorization } });
      assert.equal(res.status, 401, path);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(((await res.json()) as { code: string }).code, 'AUTH_REQUIRED');
    }
    const secret = authorization.slice('Bearer '.length);
    assert.ok(!gw.logs().includes(secret), 'not in the logs');
    for (const file of filesUnder(gw.dataDir)) assert.ok(!readFileSync(file).includes(secret), `not in ${file}`);
  });

  test("each gateway process makes its own credential: another process's is refused on its /fhir", async (t) => {
    const otherTapDir = mkdtempSync(join(tmpdir(), 'ecggw-fhir-auth-'));
    t.after(() => rmSync(otherTapDir, { recursive: true, force: true }));
    const otherTap = credentialTap(otherTapDir);
    const other = await startGateway({ env: { ...FAST_RETRY_ENV, NODE_OPTIONS: `--require ${otherTap.preload}` } });
    t.after(() => other.stop());
    assert.equal(await sendHl7(other, hl7Text(MA)), 'AA');
    await waitForMessage(other, CONTROL_ID, isDelivered, 'delivered to the other gateway');
    const [mine, theirs] = [tap.seen()[0]!, otherTap.seen()[0]!];
    assert.notEqual(mine, theirs);
    await outcomeOf(await fetch(`${other.baseUrl}/fhir/Observation`, { headers: { authorization: mine } }), 401, 'login');
    await outcomeOf(await fhir('Observation', { headers: { authorization: theirs } }), 401, 'login');
  });

  test('the session cookie opens /fhir for reads; a cookie write needs X-Requested-With like /api', async () => {
    const login = await fetch(`${gw.baseUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: gw.token }) });
    assert.equal(login.status, 200);
    const cookie = /^(ecggw_session=[^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    assert.ok(cookie);
    assert.equal((await fhir('Observation?_count=1', { headers: { cookie } })).status, 200);
    const invalid = JSON.stringify({ resourceType: 'Observation', status: 'done', code: { text: 'x' } });
    const write = (headers: Record<string, string>) => fhir('Observation', { method: 'POST', headers: { 'content-type': 'application/fhir+json', cookie, ...headers }, body: invalid });
    const refused = await outcomeOf(await write({}), 403, 'forbidden');
    assert.equal(refused.issue[0]?.details?.coding?.[0]?.code, 'AUTH_CSRF_HEADER_MISSING');
    // With the header the request reaches the FHIR engine, which validates it (status 'done' is no R4 code).
    const validated = await outcomeOf(await write({ 'x-requested-with': 'ecg-gateway' }), 400, undefined);
    assert.deepEqual(validated.issue.map((i) => i.expression?.[0]), ['Observation.status']);
  });

  test("a person's /fhir reads and writes are in /api/audit as fhir.read / fhir.write with path and parameter names, never their values; the gateway's are not", async () => {
    const res = await fetch(`${gw.baseUrl}/api/audit?limit=500`, { headers: gw.authHeaders() });
    assert.equal(res.status, 200);
    const all = ((await res.json()) as { items: AuditItem[] }).items;
    const items = all.filter((i) => i.action === 'fhir.read');
    // The person's write that passed the CSRF check (and then failed validation) is audited as a write.
    const writes = all.filter((i) => i.action === 'fhir.write');
    assert.deepEqual(writes.map((i) => [i.principal, i.detail?.['method'], i.detail?.['path']]), [['admin', 'POST', '/fhir/Observation']]);
    assert.ok(items.length > 0);
    assert.ok(items.every((i) => i.principal === 'admin'), items.map((i) => i.principal).join(' '));
    const patientSearch = items.find((i) => i.detail?.['resourceType'] === 'Patient');
    assert.deepEqual(patientSearch?.detail, { method: 'GET', path: '/fhir/Patient', resourceType: 'Patient', searchParams: ['identifier'] });
    assert.ok(items.some((i) => i.detail?.['path'] === '/fhir/Observation' && (i.detail['searchParams'] as string[]).includes('identifier')));
    assert.ok(items.some((i) => /^\/fhir\/Observation\/[^/]+$/.test(String(i.detail?.['path']))), 'the read by id');
    const trail = JSON.stringify(items);
    for (const value of [PATIENT_ID, CONTROL_ID]) assert.ok(!trail.includes(value), `no ${value} in the audit detail`);
    // The write refused for its missing CSRF header and the open metadata are no reads of patient data.
    assert.ok(!items.some((i) => i.detail?.['method'] === 'POST' || i.detail?.['path'] === '/fhir/metadata'));
  });
});
