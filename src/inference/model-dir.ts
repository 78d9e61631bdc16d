import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * MODEL_DIR when set (relative to the working directory), else the repository's bundled
 * `models/`: found by walking up from this file to the package root, so `dist/`, `build/` and
 * `npx ecg-gateway` run from any directory all find it.
 */
export function resolveModelDir(configured: string | undefined, from = __dirname): string {
  if (configured !== undefined) return resolve(configured);
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && isGatewayPackage(pkg)) return join(dir, 'models');
    const up = dirname(dir);
    if (up === dir) return resolve('models');
    dir = up;
  }
}

function isGatewayPackage(path: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === 'ecg-gateway';
  } catch (err: unknown) {
    if (err instanceof SyntaxError) return false;
    throw err;
  }
}
