import { readFileSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { createTestFhirServer, type TestFhirServerOptions } from './fhir-server';

/**
 * Process entry of the tests' FHIR server. Env: FHIR_TEST_PORT (0 = any free port),
 * SMART_CLIENT_ID + SMART_JWKS_FILE (public JWKS) to require SMART Backend Services,
 * SMART_TOKEN_LIFETIME_S (default 300). Prints one JSON line `{"port":N}` once listening.
 * SIGUSR2 toggles an outage: the listener is closed and every open connection dropped (clients get
 * ECONNREFUSED, as from a stopped EHR), then the next SIGUSR2 listens again on the same port with
 * the same data (the store is in memory: a real restart would lose it). Prints `{"listening":bool}`.
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
let port = 0;
server.once('listening', () => {
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
/** While down nothing else keeps the event loop alive: without it the process would just exit. */
let keepAlive: NodeJS.Timeout | undefined;
process.on('SIGUSR2', () => {
  if (server.listening) {
    keepAlive = setInterval(() => undefined, 60_000);
    server.close(() => process.stdout.write(`${JSON.stringify({ listening: false })}\n`));
    server.closeAllConnections();
  } else {
    server.listen(port, '127.0.0.1', () => {
      clearInterval(keepAlive);
      process.stdout.write(`${JSON.stringify({ listening: true })}\n`);
    });
  }
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
