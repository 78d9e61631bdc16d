import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from '../helpers/free-port';
import { BUILD_ROOT, REPO_ROOT } from '../helpers/paths';

// A port already taken stops the gateway at once with one line naming the setting, instead of
// leaving the other listeners (and the pipeline) running without it.

let holder: Server;
let taken: number;

before(async () => {
  taken = await freePort();
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(taken, '127.0.0.1', resolve));
});
after(() => new Promise<void>((resolve) => holder.close(() => resolve())));

for (const setting of ['MLLP_PORT', 'DICOM_PORT', 'HTTP_PORT'] as const) {
  test(`${setting} in use: exit 2 and one line naming ${setting}`, async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ecggw-ports-'));
    t.after(() => rmSync(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', DATA_DIR: dataDir, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(await freePort()), MLLP_PORT: String(await freePort()), DICOM_PORT: String(await freePort()) };
    env[setting] = String(taken);
    // A gateway that kept serving without the port would never exit: the timeout ends it and the status check fails.
    const r = spawnSync(process.execPath, [join(BUILD_ROOT, 'src', 'cli', 'main.js'), 'serve'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2, `status ${r.status}, signal ${r.signal}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.equal(lines[0], `error CONFIG_INVALID ${setting}: cannot listen on ${setting} ${taken}: EADDRINUSE`);
  });
}
