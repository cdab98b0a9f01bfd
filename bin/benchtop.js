#!/usr/bin/env node
// The `benchtop` command, in a source checkout (CommonJS: see ./package.json). The start-up front
// (out/cli/fast.cjs, src/cli/fast.ts) answers `--version` and the fast paths of `engine` and `check`;
// anything else runs the full CLI bundle (out/cli/benchtop.js, an ES module). Builds both first
// when they are missing (esbuild, ~1 s); child_process loads only then.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const root = join(__dirname, '..');
const front = join(root, 'out', 'cli', 'fast.cjs');
const bundle = join(root, 'out', 'cli', 'benchtop.js');
if (!existsSync(front) || !existsSync(bundle)) {
  const built = require('node:child_process').spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) {
    process.stderr.write('benchtop: the CLI is not built and building it failed; run `npm install` then `npm run build:cli`.\n');
    process.exit(2);
  }
}
require(front)
  .runFast(process.argv.slice(2))
  .then((answered) => (answered ? undefined : import(pathToFileURL(bundle).href)))
  .catch((error) => {
    process.stderr.write(`benchtop: ${error && error.stack ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  });
