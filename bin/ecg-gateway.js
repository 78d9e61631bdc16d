#!/usr/bin/env node
'use strict';
// The published entry point: builds the TypeScript sources once if dist/ is missing or stale,
// then hands over to the compiled CLI.
require('../scripts/build-if-needed.js');
require('../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
