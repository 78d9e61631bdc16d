'use strict';
// Builds the operator console into OUT_DIR (argument): index.html, console.css and one bundle
// console.js from src/web/console/client/main.ts. esbuild bundles (offline, no CDN); it strips
// types without checking them, so the client is typechecked first against its own tsconfig
// (DOM lib). The gateway serves OUT_DIR from beside its compiled mount-console.js:
//   dist/web/console/public        (npm run build)
//   build/src/web/console/public   (npm run build:test; any build-NAME/ the same way)
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node scripts/build-console.js OUT_DIR (e.g. dist/web/console/public)\n');
  process.exit(2);
}
const outDir = path.resolve(root, out);
const clientDir = path.join(root, 'src', 'web', 'console', 'client');

try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(clientDir, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
} catch {
  process.stderr.write('build-console: the console client does not typecheck (errors above)\n');
  process.exit(1);
}

const esbuild = require('esbuild');
fs.mkdirSync(outDir, { recursive: true });
esbuild.buildSync({
  entryPoints: [path.join(clientDir, 'main.ts')],
  outfile: path.join(outDir, 'console.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'console.css']) fs.copyFileSync(path.join(clientDir, file), path.join(outDir, file));
