#!/usr/bin/env node
// The `benchtop` command. Runs the bundled CLI; in a source checkout, builds it first (esbuild, ~1 s).
// Imports only what node has loaded already at start-up (fs, path, url): child_process, which the
// build needs, costs every command a few milliseconds, so it loads only when the bundle is missing.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'cli', 'benchtop.js');
if (!existsSync(bundle)) {
  const { spawnSync } = await import('node:child_process');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) {
    process.stderr.write('benchtop: the CLI is not built and building it failed; run `npm install` then `npm run build:cli`.\n');
    process.exit(2);
  }
}
await import(pathToFileURL(bundle).href);
