import { spawn } from 'node:child_process';

/** Runs a dcmtk tool as a real peer; resolves with its exit code and everything it printed. */
export function runDcmtk(tool: 'echoscu' | 'storescu' | 'dcmodify' | 'dcmdump', args: readonly string[], timeoutMs = 60_000): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

export interface AeOptions {
  calledAeTitle?: string;
  callingAeTitle?: string;
}

function aeArgs(o: AeOptions): string[] {
  return [...(o.calledAeTitle ? ['-aec', o.calledAeTitle] : []), ...(o.callingAeTitle ? ['-aet', o.callingAeTitle] : [])];
}

export interface AssociationRejection {
  result: string;
  source: string;
  reason: string;
}

function parseRejection(output: string): AssociationRejection | undefined {
  if (!/Association Rejected/.test(output)) return undefined;
  const field = (name: string) => new RegExp(`${name}: (.+)`).exec(output)?.[1]?.trim() ?? '';
  return { result: field('Result'), source: field('Source'), reason: field('Reason') };
}

export interface EchoResult {
  code: number;
  output: string;
  rejected?: AssociationRejection;
}

/** `echoscu` (C-ECHO); exit code 0 means the verification succeeded. */
export async function echoscu(host: string, port: number, options: AeOptions = {}): Promise<EchoResult> {
  const r = await runDcmtk('echoscu', [...aeArgs(options), host, String(port)]);
  const rejected = parseRejection(r.output);
  return { ...r, ...(rejected ? { rejected } : {}) };
}

export interface StoredFileResult {
  file: string;
  /** The C-STORE-RSP status (0x0000 = success); absent when the file was never sent. */
  status?: number;
  errorComment?: string;
  /** storescu found no accepted presentation context for the file's SOP class / transfer syntax. */
  noPresentationContext?: boolean;
}

export interface StoreResult {
  code: number;
  output: string;
  files: StoredFileResult[];
  rejected?: AssociationRejection;
}

export interface StorescuOptions extends AeOptions {
  /** `-xd`: also propose Deflated Explicit VR LE (storescu then sends a deflated file as is). */
  proposeDeflated?: boolean;
}

/**
 * `storescu -d -nh` over one association (does not halt on a failed store). storescu exits 0
 * even when a store fails, so the result is read from its debug output: one entry per file with
 * the DIMSE status of the C-STORE-RSP and its Error Comment, or the missing presentation context.
 */
export async function storescu(host: string, port: number, files: readonly string[], options: StorescuOptions = {}): Promise<StoreResult> {
  const args = ['-d', '-nh', ...aeArgs(options), ...(options.proposeDeflated ? ['-xd'] : []), host, String(port), ...files];
  const r = await runDcmtk('storescu', args);
  const results: StoredFileResult[] = [];
  let current: StoredFileResult | undefined;
  for (const line of r.output.split('\n')) {
    const sending = /^I: Sending file: (.+)$/.exec(line);
    if (sending) {
      current = { file: sending[1]!.trim() };
      results.push(current);
      continue;
    }
    if (!current) continue;
    const status = /^D: DIMSE Status\s+: 0x([0-9a-fA-F]{4})/.exec(line);
    if (status) current.status = parseInt(status[1]!, 16);
    const comment = /\(0000,0902\) LO \[(.*)\]/.exec(line);
    if (comment) current.errorComment = comment[1]!;
    if (/^E: No presentation context for/.test(line)) current.noPresentationContext = true;
  }
  const rejected = parseRejection(r.output);
  return { code: r.code, output: r.output, files: results, ...(rejected ? { rejected } : {}) };
}

/**
 * A dcmtk `storescp` receiving into `outputDir` on `port`; resolves once it answers a C-ECHO.
 * `extraArgs`, e.g. `+B` (bit-preserving: write the dataset exactly as received); `env`, e.g.
 * TCP_NODELAY=1 (dcmtk 3.6.7 leaves Nagle's algorithm on unless told, ~40 ms per C-STORE on loopback).
 */
export async function startStorescp(
  port: number,
  outputDir: string,
  extraArgs: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<{ port: number; stop: () => Promise<void> }> {
  const child = spawn('storescp', [...extraArgs, '--output-directory', outputDir, String(port)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let exited = false;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) throw new Error(`storescp exited during start: ${stderr}`);
    if ((await echoscu('127.0.0.1', port)).code === 0) break;
    if (Date.now() > deadline) throw new Error('storescp did not answer C-ECHO in time');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    stop: async () => {
      if (exited) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await done;
    },
  };
}
