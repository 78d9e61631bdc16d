import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { TestFhirServerStats } from './fhir-server';
import { BUILD_ROOT, REPO_ROOT } from './paths';

export interface FhirServerProcess {
  port: number;
  /** The FHIR base URL, e.g. http://127.0.0.1:1234/fhir. */
  baseUrl: string;
  origin: string;
  child: ChildProcess;
  logs: () => string;
  /** Next `count` POSTs get `status` (with Retry-After when given). */
  fail: (status: number, count?: number, retryAfter?: string) => Promise<void>;
  /** Next `count` POSTs are committed but their responses dropped (socket destroyed). */
  drop: (count?: number) => Promise<void>;
  /** Next `count` POSTs are answered after `ms`. */
  delay: (ms: number, count?: number) => Promise<void>;
  revokeTokens: () => Promise<void>;
  /** Epoch ms (sub-ms) at which a resource with identifier system|value was committed; waits up to `timeoutMs`. */
  committedAt: (system: string, value: string, timeoutMs: number) => Promise<number>;
  stats: () => Promise<TestFhirServerStats & { pendingFaults: number }>;
  /** GET {base}/{path} (search or read), with a bearer token when given. */
  get: <T extends Resource = Bundle>(path: string, token?: string) => Promise<T>;
  /** How many resources of `type` carry identifier system|value. */
  countByIdentifier: (type: string, system: string, value: string, token?: string) => Promise<number>;
  stop: () => Promise<void>;
  /** Outage: closes the listener and drops every connection (connections are refused) until acceptConnections(); data is kept. */
  refuseConnections: () => Promise<void>;
  /** Ends the outage: listens again on the same port. */
  acceptConnections: () => Promise<void>;
}

export interface FhirServerOptions {
  /** Reuse a port (restart after stop). */
  port?: number;
  smart?: { clientId: string; jwksFile: string; tokenLifetimeS?: number };
}

/** Starts test/helpers/fhir-server.main.js as a separate process on a free (or given) port. */
export async function startFhirServer(options: FhirServerOptions = {}): Promise<FhirServerProcess> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', FHIR_TEST_PORT: String(options.port ?? 0) };
  if (options.smart) {
    env['SMART_CLIENT_ID'] = options.smart.clientId;
    env['SMART_JWKS_FILE'] = options.smart.jwksFile;
    env['SMART_TOKEN_LIFETIME_S'] = String(options.smart.tokenLifetimeS ?? 300);
  }
  const child = spawn(process.execPath, ['--enable-source-maps', join(BUILD_ROOT, 'test', 'helpers', 'fhir-server.main.js')], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`FHIR server did not start\n${output}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString('utf8');
      const m = /\{"port":(\d+)\}/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FHIR server exited (${code})\n${output}`));
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  const baseUrl = `${origin}/fhir`;
  const admin = async (action: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${origin}/_admin/${action}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`admin ${action}: ${res.status}`);
    return res.json();
  };
  const get = async <T extends Resource = Bundle>(path: string, token?: string): Promise<T> => {
    const res = await fetch(`${baseUrl}/${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  let exited = false;
  child.once('exit', () => (exited = true));
  /** Signals an outage toggle and waits for the server's `{"listening":…}` line. */
  const toggle = (listening: boolean): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const line = JSON.stringify({ listening });
      const timer = setTimeout(() => reject(new Error(`FHIR server did not report ${line}`)), 10_000);
      const onData = (d: Buffer) => {
        if (!d.toString('utf8').includes(line)) return;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      };
      child.stdout?.on('data', onData);
      child.kill('SIGUSR2');
    });
  return {
    port,
    baseUrl,
    origin,
    child,
    logs: () => output,
    fail: async (status, count = 1, retryAfter) => void (await admin('fail', { status, count, ...(retryAfter !== undefined ? { retryAfter } : {}) })),
    drop: async (count = 1) => void (await admin('drop', { count })),
    delay: async (ms, count = 1) => void (await admin('delay', { ms, count })),
    revokeTokens: async () => void (await admin('revoke-tokens', {})),
    committedAt: async (system, value, timeoutMs) => {
      const res = await fetch(`${origin}/_admin/committed?identifier=${encodeURIComponent(`${system}|${value}`)}&wait=${timeoutMs}`);
      if (res.status !== 200) throw new Error(`${value} not committed within ${timeoutMs} ms`);
      return ((await res.json()) as { at: number }).at;
    },
    stats: async () => (await admin('stats')) as TestFhirServerStats & { pendingFaults: number },
    get,
    countByIdentifier: async (type, system, value, token) => {
      const bundle = await get<Bundle>(`${type}?identifier=${encodeURIComponent(system)}|${encodeURIComponent(value)}`, token);
      return bundle.total ?? bundle.entry?.length ?? 0;
    },
    stop: async () => {
      if (exited) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await done;
    },
    refuseConnections: () => toggle(false),
    acceptConnections: () => toggle(true),
  };
}
