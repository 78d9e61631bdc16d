import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { BUILD_ROOT, REPO_ROOT } from './paths';

export interface GatewayProcess {
  child: ChildProcess;
  httpPort: number;
  mllpPort: number;
  dicomPort: number;
  dataDir: string;
  baseUrl: string;
  /** The admin token this gateway was started with (ADMIN_TOKEN); undefined when it generated its own. */
  token: string | undefined;
  /** `Authorization: Bearer <token>` for /api requests (empty when `token` is undefined). */
  authHeaders: () => Record<string, string>;
  /** Everything the process wrote to stdout (JSON log lines) and stderr. */
  logs: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  dataDir?: string;
  /** Keep the data folder after stop (for restart tests). */
  keepDataDir?: boolean;
  timeoutMs?: number;
  /**
   * ADMIN_TOKEN to start with. Default: one random token per test process (shared by every
   * gateway it starts, so replicas on one database agree); `false`: none, so the gateway
   * generates and prints its own (first-start tests). `env.ADMIN_TOKEN` wins over both.
   */
  adminToken?: string | false;
}

/** The default ADMIN_TOKEN of the gateways this process starts. */
export const TEST_ADMIN_TOKEN = `ecggw_test_${randomBytes(24).toString('base64url')}`;

const tokensByBaseUrl = new Map<string, string>();

/** Bearer headers for the /api of the gateway at `baseUrl` started by this process (empty if it has no known token). */
export function apiAuthHeaders(baseUrl: string): Record<string, string> {
  const token = tokensByBaseUrl.get(baseUrl);
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** Waits until `probe` resolves true, polling; fails with the process logs after timeoutMs. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, what: string, logs?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${logs ? `\n--- logs ---\n${logs().slice(-4000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts the built gateway (`<build>/src/cli/main.js serve`) on free ports and a temp DATA_DIR;
 * resolves when /health is 200. A port taken between freePort() and the gateway's bind (by
 * another process starting at the same moment) is a harness race, not the gateway's failure:
 * the gateway then exits with `CONFIG_INVALID …: EADDRINUSE`, and the start is tried again on
 * other ports.
 */
export async function startGateway(options: StartOptions = {}): Promise<GatewayProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err: unknown) {
      if (attempt >= 3 || !/exited during start[\s\S]*cannot listen on \w+_PORT \d+: EADDRINUSE/.test(String(err))) throw err;
    }
  }
}

async function startOnce(options: StartOptions): Promise<GatewayProcess> {
  const [httpPort, mllpPort, dicomPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ecggw-'));
  let output = '';
  const envToken = options.env?.['ADMIN_TOKEN'];
  const token = envToken !== undefined ? (envToken === '' ? undefined : envToken) : options.adminToken === false ? undefined : (options.adminToken ?? TEST_ADMIN_TOKEN);
  const child = spawn(process.execPath, [join(BUILD_ROOT, 'src', 'cli', 'main.js'), 'serve'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HTTP_PORT: String(httpPort),
      HTTP_HOST: '127.0.0.1',
      MLLP_PORT: String(mllpPort),
      DICOM_PORT: String(dicomPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...(token === undefined ? {} : { ADMIN_TOKEN: token }),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  if (token !== undefined) tokensByBaseUrl.set(baseUrl, token);
  const authHeaders = (): Record<string, string> => (token === undefined ? {} : { authorization: `Bearer ${token}` });
  let exited = false;
  child.on('exit', () => (exited = true));
  const logs = () => output;
  const cleanUp = (): void => {
    tokensByBaseUrl.delete(baseUrl);
    if (!options.keepDataDir && options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  };
  // An exit ends the wait at once (waitFor would swallow a throw); a start that times out leaves no process behind.
  await waitFor(async () => exited || (await fetch(`${baseUrl}/health`)).status === 200, options.timeoutMs ?? 30_000, 'gateway /health', logs).catch(
    (err: unknown) => {
      child.kill('SIGKILL');
      cleanUp();
      throw err;
    },
  );
  if (exited) {
    cleanUp();
    throw new Error(`gateway exited during start\n${output.slice(-4000)}`);
  }

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (!exited) {
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(signal);
      await done;
    }
    cleanUp();
  };
  return { child, httpPort, mllpPort, dicomPort, dataDir, baseUrl, token, authHeaders, logs, stop };
}
