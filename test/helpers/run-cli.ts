import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BUILD_ROOT, REPO_ROOT } from './paths';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a real process, the way an analyst would run `npx ecg-gateway …`. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [join(BUILD_ROOT, 'src', 'cli', 'main.js'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
