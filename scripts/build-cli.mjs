// Bundles the `benchtop` CLI (src/cli) into out/cli/benchtop.js; npm packages stay external.
// Split into chunks so each command loads only what it uses (`--version` does not load conf or
// tar-stream; dockerode and ssh2 load on first engine or SSH use).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'out/cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { benchtop: join(root, 'src/cli/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
