import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Bundle } from '@medplum/fhirtypes';
import { exportJWK, generateKeyPair } from 'jose';
import { FhirKitEhrClient } from '../../src/fhir/delivery/fhir-kit-ehr-client';
import { loadSigningKey } from '../../src/fhir/delivery/load-signing-key';
import { SmartBackendAuth, type SmartSigningAlg } from '../../src/fhir/delivery/smart-backend-auth';
import { buildEcgBundle } from '../../src/fhir/mapping/build-ecg-bundle';
import { ecgKeyFor } from '../../src/fhir/mapping/resource-ids';
import { loadFhirMappings } from '../../src/fhir/load-fhir-mappings';
import { freePort } from '../helpers/free-port';
import { startFhirServer } from '../helpers/fhir-server-process';
import { fixtureEcg } from './fixture-ecg';
import { scoredResult } from './synthetic-results';

const mappings = loadFhirMappings();
const record = fixtureEcg('hl7', 'ecg', 'oru_r01_v25_ma_12lead.hl7');
const ecgKey = ecgKeyFor(record, { sha256: '0'.repeat(64) });
const bundle: Bundle = buildEcgBundle(
  { record, ecgKey, models: [scoredResult()], patientReference: 'conditional-create', sourceTimeZone: 'UTC', gatewayVersion: '0.1.0', recordedAt: '2024-03-05T10:00:00Z' },
  mappings,
).bundle;
const SCOPES = 'system/Patient.crs system/Observation.crs system/RiskAssessment.crs system/Device.crs system/Provenance.crs';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** A client key pair on disk: the private JWKS for the gateway, the public JWKS for the EHR. */
async function keyFiles(alg: SmartSigningAlg): Promise<{ privateFile: string; publicFile: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-keys-'));
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `test-${alg.toLowerCase()}`;
  const privateFile = join(dir, 'client.jwks.json');
  const publicFile = join(dir, 'client.public.jwks.json');
  writeFileSync(privateFile, JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid, alg }] }));
  writeFileSync(publicFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg }] }));
  return { privateFile, publicFile, dir };
}

test('an HTTP server answering 503 (Retry-After), 503, 201: two retryable outcomes, then accepted with locations', async (t) => {
  const answers = [503, 503, 200];
  const server = createServer((req, res) => {
    req.resume();
    const status = answers.shift() ?? 500;
    if (status === 200) {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { status: '201 Created', location: 'Observation/1/_history/1' } }] }));
      return;
    }
    res.writeHead(status, { 'retry-after': '3', 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] }));
  });
  const port = await listen(server);
  t.after(() => server.close());
  const client = new FhirKitEhrClient({ baseUrl: () => `http://127.0.0.1:${port}/fhir`, timeoutMs: 5000 });
  const first = await client.postTransaction(bundle);
  assert.ok(first.kind === 'http-error' && first.status === 503 && first.retryAfter === '3', JSON.stringify(first));
  assert.equal((await client.postTransaction(bundle)).kind, 'http-error');
  const third = await client.postTransaction(bundle);
  assert.deepEqual(third, { kind: 'accepted', status: 200, locations: ['Observation/1/_history/1'], entryStatuses: ['201 Created'] });
});

test('a 200 whose transaction-response holds a failed entry (a server that ran it as a batch) is not a delivery', async (t) => {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end(
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: [
          { response: { status: '201 Created', location: 'Patient/1' } },
          { response: { status: '422 Unprocessable Entity', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', expression: ['Observation.code'] }] } } },
        ],
      }),
    );
  });
  const port = await listen(server);
  t.after(() => server.close());
  const outcome = await new FhirKitEhrClient({ baseUrl: () => `http://127.0.0.1:${port}/fhir`, timeoutMs: 5000 }).postTransaction(bundle);
  assert.ok(outcome.kind === 'http-error' && outcome.status === 422, JSON.stringify(outcome));
  assert.equal(outcome.outcome?.issue?.[0]?.expression?.[0], 'Observation.code');
});

test('against the FHIR server: accepted with one location per entry; a 400 carries the OperationOutcome', async (t) => {
  const fhir = await startFhirServer();
  t.after(() => fhir.stop());
  const client = new FhirKitEhrClient({ baseUrl: () => fhir.baseUrl, timeoutMs: 10_000 });
  const ok = await client.postTransaction(bundle);
  assert.ok(ok.kind === 'accepted', JSON.stringify(ok).slice(0, 300));
  assert.equal(ok.locations.length, bundle.entry!.length);
  assert.ok(ok.entryStatuses.every((s) => s.startsWith('201')));
  const invalid = structuredClone(bundle);
  (invalid.entry![1]!.resource as { status?: string }).status = 'broken';
  const bad = await client.postTransaction(invalid);
  assert.ok(bad.kind === 'http-error' && bad.status === 400, JSON.stringify(bad).slice(0, 300));
  assert.equal(bad.outcome?.issue?.[0]?.expression?.[0], 'Bundle.entry[1].resource.status');
});

test('a slow EHR is a timeout; a closed port is a connection error', async (t) => {
  const fhir = await startFhirServer();
  t.after(() => fhir.stop());
  await fhir.delay(3000);
  const slow = await new FhirKitEhrClient({ baseUrl: () => fhir.baseUrl, timeoutMs: 500 }).postTransaction(bundle);
  assert.ok(slow.kind === 'network-error' && slow.reason === 'timeout', JSON.stringify(slow));
  const closed = await freePort();
  const refused = await new FhirKitEhrClient({ baseUrl: () => `http://127.0.0.1:${closed}/fhir`, timeoutMs: 2000 }).postTransaction(bundle);
  assert.ok(refused.kind === 'network-error' && refused.reason === 'connection' && /ECONNREFUSED/.test(refused.message), JSON.stringify(refused));
});

for (const alg of ['RS384', 'ES384'] as const) {
  test(`SMART Backend Services with ${alg}: discovery, a private_key_jwt the server verifies with the JWKS, a cached token`, async (t) => {
    const keys = await keyFiles(alg);
    t.after(() => rmSync(keys.dir, { recursive: true, force: true }));
    const fhir = await startFhirServer({ smart: { clientId: 'ecg-gateway', jwksFile: keys.publicFile } });
    t.after(() => fhir.stop());
    const { signingKey } = await loadSigningKey(keys.privateFile);
    assert.equal(signingKey.alg, alg);
    const auth = new SmartBackendAuth(() => fhir.baseUrl, { clientId: 'ecg-gateway', signingKey, scopes: SCOPES, timeoutMs: 5000 });
    const client = new FhirKitEhrClient({ baseUrl: () => fhir.baseUrl, timeoutMs: 10_000, auth });
    assert.equal((await client.postTransaction(bundle)).kind, 'accepted');
    assert.equal((await client.postTransaction(bundle)).kind, 'accepted');
    const stats = await fhir.stats();
    assert.deepEqual(stats.tokenRejections, []);
    assert.equal(stats.tokensIssued, 1, 'the second delivery reused the cached token');
    assert.equal(stats.unauthorized, 0);
  });
}

test('SMART: an expired token is renewed before use; a token the EHR no longer accepts (401) is renewed and the request retried', async (t) => {
  const keys = await keyFiles('RS384');
  t.after(() => rmSync(keys.dir, { recursive: true, force: true }));
  const fhir = await startFhirServer({ smart: { clientId: 'ecg-gateway', jwksFile: keys.publicFile, tokenLifetimeS: 60 } });
  t.after(() => fhir.stop());
  const { signingKey } = await loadSigningKey(keys.privateFile);
  let now = Date.now();
  const auth = new SmartBackendAuth(() => fhir.baseUrl, { clientId: 'ecg-gateway', signingKey, scopes: SCOPES, timeoutMs: 5000 }, () => now);
  const client = new FhirKitEhrClient({ baseUrl: () => fhir.baseUrl, timeoutMs: 10_000, auth });
  assert.equal((await client.postTransaction(bundle)).kind, 'accepted');
  now += 61_000; // the client's clock passes expires_in
  assert.equal((await client.postTransaction(bundle)).kind, 'accepted');
  assert.equal((await fhir.stats()).tokensIssued, 2);
  await fhir.revokeTokens(); // the EHR forgets every token before it expires
  assert.equal((await client.postTransaction(bundle)).kind, 'accepted');
  const stats = await fhir.stats();
  assert.equal(stats.unauthorized, 1, 'one 401, then the renewed token was accepted');
  assert.equal(stats.tokensIssued, 3);
});

test('SMART: a key the EHR does not know is refused (not retried); discovery without our algorithm is refused', async (t) => {
  const registered = await keyFiles('RS384');
  const other = await keyFiles('RS384');
  t.after(() => [registered, other].forEach((k) => rmSync(k.dir, { recursive: true, force: true })));
  const fhir = await startFhirServer({ smart: { clientId: 'ecg-gateway', jwksFile: registered.publicFile } });
  t.after(() => fhir.stop());
  const { signingKey } = await loadSigningKey(other.privateFile);
  const auth = new SmartBackendAuth(() => fhir.baseUrl, { clientId: 'ecg-gateway', signingKey: { ...signingKey, kid: 'test-rs384' }, scopes: SCOPES, timeoutMs: 5000 });
  const refused = await new FhirKitEhrClient({ baseUrl: () => fhir.baseUrl, timeoutMs: 5000, auth }).postTransaction(bundle);
  assert.ok(refused.kind === 'auth-error' && !refused.transient && refused.status === 401, JSON.stringify(refused));
  assert.match((await fhir.stats()).tokenRejections[0] ?? '', /signature verification failed/);

  const discovery = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token_endpoint: 'http://127.0.0.1:1/token', token_endpoint_auth_methods_supported: ['private_key_jwt'], token_endpoint_auth_signing_alg_values_supported: ['RS256'] }));
  });
  const port = await listen(discovery);
  t.after(() => discovery.close());
  const noAlg = new SmartBackendAuth(() => `http://127.0.0.1:${port}/fhir`, { clientId: 'x', signingKey, scopes: SCOPES, timeoutMs: 2000 });
  await assert.rejects(noAlg.accessToken(), (err: Error & { transient?: boolean }) => /lacks RS384/.test(err.message) && err.transient === false);
});

test('SMART: an unreachable authorization server is a transient auth error', async () => {
  const keys = await keyFiles('ES384');
  try {
    const { signingKey } = await loadSigningKey(keys.privateFile);
    const port = await freePort();
    const auth = new SmartBackendAuth(() => `http://127.0.0.1:${port}/fhir`, { clientId: 'x', signingKey, scopes: SCOPES, timeoutMs: 2000 });
    const outcome = await new FhirKitEhrClient({ baseUrl: () => `http://127.0.0.1:${port}/fhir`, timeoutMs: 2000, auth }).postTransaction(bundle);
    assert.ok(outcome.kind === 'auth-error' && outcome.transient, JSON.stringify(outcome));
  } finally {
    rmSync(keys.dir, { recursive: true, force: true });
  }
});

test('the private key can be a PEM; kid defaults to the JWK thumbprint and the public JWKS is derived', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecggw-pem-'));
  try {
    const { privateKey } = await generateKeyPair('ES384', { extractable: true });
    const { exportPKCS8 } = await import('jose');
    const file = join(dir, 'key.pem');
    writeFileSync(file, await exportPKCS8(privateKey));
    const loaded = await loadSigningKey(file);
    assert.equal(loaded.signingKey.alg, 'ES384');
    assert.match(loaded.signingKey.kid, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(loaded.publicJwks.keys[0]?.kid, loaded.signingKey.kid);
    assert.equal((loaded.publicJwks.keys[0] as { d?: string }).d, undefined, 'no private part in the public JWKS');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
