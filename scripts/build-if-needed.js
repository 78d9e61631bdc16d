'use strict';
// Rebuilds dist/ (the server with tsc, then the console bundle) when any source file is newer
// than the last build, so `npm start` and `npx ecg-gateway` work straight after `npm ci`
// without a separate build step.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
// The console bundles mappings/ecg-codes.json (measurement names) at build time.
const inputs = [path.join(root, 'tsconfig.build.json'), path.join(root, 'scripts', 'build-console.js'), path.join(root, 'mappings', 'ecg-codes.json')];
const sources = Math.max(newestMtime(path.join(root, 'src')), ...inputs.map((f) => fs.statSync(f).mtimeMs));
if (sources > built) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-console.js'), path.join('dist', 'web', 'console', 'public')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  fs.writeFileSync(stamp, new Date().toISOString());
}
