import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { startFhirServer, type FhirServerProcess } from '../helpers/fhir-server-process';
import { deliveryAttempts, FAST_RETRY_ENV, hl7Text, isDelivered, sendHl7, waitForMessage } from '../helpers/fhir-server-e2e';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process';
import { withControlId } from '../helpers/hl7-messages';
import { fixture } from '../helpers/paths';

/**
 * SMART Backend Services end to end: the gateway discovers the token endpoint of the FHIR server
 * process, authenticates with a private_key_jwt the server verifies against the JWKS registered
 * for the client, and renews its token when it expires or the EHR refuses it.
 */

const NA = fixture('hl7', 'ecg', 'oru_r01_v23_na_12lead.hl7');
const TOKEN_LIFETIME_S = 2;

describe('SMART Backend Services (real gateway, FHIR server process with a token endpoint)', () => {
  let dir: string;
  let fhir: FhirServerProcess;
  let gw: GatewayProcess;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecggw-smart-'));
    const { privateKey, publicKey } = await generateKeyPair('ES384', { extractable: true });
    writeFileSync(join(dir, 'gateway.jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'gw-1', alg: 'ES384' }] }));
    writeFileSync(join(dir, 'registered.jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'gw-1', alg: 'ES384' }] }));
    fhir = await startFhirServer({ smart: { clientId: 'ecg-gateway', jwksFile: join(dir, 'registered.jwks.json'), tokenLifetimeS: TOKEN_LIFETIME_S } });
    gw = await startGateway({
      env: { ...FAST_RETRY_ENV, FHIR_BASE_URL: fhir.baseUrl, FHIR_CLIENT_ID: 'ecg-gateway', FHIR_PRIVATE_KEY_FILE: join(dir, 'gateway.jwks.json') },
    });
  });
  after(async () => {
    await gw?.stop();
    await fhir?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the first ECG is delivered with a token the server issued after verifying the signed assertion', async () => {
    assert.equal(await sendHl7(gw, withControlId(hl7Text(NA), 'SMART-1')), 'AA');
    await waitForMessage(gw, 'SMART-1', isDelivered, 'delivered');
    const stats = await fhir.stats();
    assert.deepEqual(stats.tokenRejections, []);
    assert.equal(stats.tokensIssued, 1);
    assert.equal(stats.unauthorized, 0);
  });

  test('an expired token is renewed before the next delivery', async () => {
    const issuedBefore = (await fhir.stats()).tokensIssued;
    // Let the token's expires_in pass: this is the behaviour under test, not a wait for readiness.
    await new Promise((r) => setTimeout(r, TOKEN_LIFETIME_S * 1000 + 200));
    assert.equal(await sendHl7(gw, withControlId(hl7Text(NA), 'SMART-2')), 'AA');
    await waitForMessage(gw, 'SMART-2', isDelivered, 'delivered');
    const stats = await fhir.stats();
    assert.equal(stats.tokensIssued, issuedBefore + 1);
    assert.equal(stats.unauthorized, 0, 'the gateway did not send the expired token');
  });

  test('a token the EHR refuses (401) is renewed and the same attempt succeeds', async () => {
    const before = await fhir.stats();
    await fhir.revokeTokens();
    assert.equal(await sendHl7(gw, withControlId(hl7Text(NA), 'SMART-3')), 'AA');
    const m = await waitForMessage(gw, 'SMART-3', isDelivered, 'delivered');
    assert.equal(deliveryAttempts(m).length, 1, 'one attempt: 401, new token, 200');
    const after = await fhir.stats();
    assert.equal(after.unauthorized, before.unauthorized + 1);
    assert.equal(after.tokensIssued, before.tokensIssued + 1);
  });
});

describe('SMART with a key the EHR does not know (real gateway)', () => {
  let dir: string;
  let fhir: FhirServerProcess;
  let gw: GatewayProcess;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ecggw-smart-'));
    const registered = await generateKeyPair('RS384', { extractable: true });
    const other = await generateKeyPair('RS384', { extractable: true });
    writeFileSync(join(dir, 'gateway.jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(other.privateKey)), kid: 'gw-1', alg: 'RS384' }] }));
    writeFileSync(join(dir, 'registered.jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(registered.publicKey)), kid: 'gw-1', alg: 'RS384' }] }));
    fhir = await startFhirServer({ smart: { clientId: 'ecg-gateway', jwksFile: join(dir, 'registered.jwks.json') } });
    gw = await startGateway({
      env: { ...FAST_RETRY_ENV, FHIR_BASE_URL: fhir.baseUrl, FHIR_CLIENT_ID: 'ecg-gateway', FHIR_PRIVATE_KEY_FILE: join(dir, 'gateway.jwks.json') },
    });
  });
  after(async () => {
    await gw?.stop();
    await fhir?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the refused client is dead-lettered at once, not retried', async () => {
    assert.equal(await sendHl7(gw, withControlId(hl7Text(NA), 'SMART-BADKEY')), 'AA');
    const m = await waitForMessage(gw, 'SMART-BADKEY', (x) => x.state === 'dead', 'dead');
    assert.equal(m.lastError?.code, 'FHIR_AUTH_REJECTED');
    assert.equal(deliveryAttempts(m).length, 1);
    assert.match((await fhir.stats()).tokenRejections[0] ?? '', /signature verification failed/);
  });
});

test('SMART settings without FHIR_BASE_URL are refused at start: the embedded /fhir has its own credential', async () => {
  await assert.rejects(
    startGateway({ env: { FHIR_CLIENT_ID: 'ecg-gateway', FHIR_PRIVATE_KEY_FILE: fixture('hl7', 'ecg', 'expected.json') } }),
    /exited during start[\s\S]*CONFIG_INVALID FHIR_CLIENT_ID[^\n]*needs FHIR_BASE_URL/,
  );
});
