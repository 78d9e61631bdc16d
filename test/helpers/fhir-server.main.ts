import { readFileSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { createTestFhirServer, type TestFhirServerOptions } from './fhir-server';

/**
 * Process entry of the tests' FHIR server. Env: FHIR_TEST_PORT (0 = any free port),
 * SMART_CLIENT_ID + SMART_JWKS_FILE (public JWKS) to require SMART Backend Services,
 * SMART_TOKEN_LIFETIME_S (default 300). Prints one JSON line `{"port":N}` once listening.
 */
const env = process.env;
const options: TestFhirServerOptions = {};
if (env['SMART_CLIENT_ID'] && env['SMART_JWKS_FILE']) {
  options.smart = {
    clientId: env['SMART_CLIENT_ID'],
    jwks: JSON.parse(readFileSync(env['SMART_JWKS_FILE'], 'utf8')) as JSONWebKeySet,
    tokenLifetimeS: Number(env['SMART_TOKEN_LIFETIME_S'] ?? 300),
  };
}
const server = createTestFhirServer(options);
server.listen(Number(env['FHIR_TEST_PORT'] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
