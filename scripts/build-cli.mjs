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
  // Small pure-JS packages the core imports at start-up (jsonc-parser, tar-stream…) are bundled: one
  // ESM chunk loads faster than CommonJS packages resolved, read and lexed file by file. Packages with
  // native parts, or loaded only on first use, stay external.
  external: ['dockerode', 'ssh2', 'ws', 'systeminformation', 'electron', 'electron-store', 'conf', '@google-cloud/*', 'cpu-features'],
  sourcemap: 'linked',
  // ESM builds where a package has one (jsonc-parser's "main" is a UMD build that requires files by name).
  mainFields: ['module', 'main'],
  // Bundled CommonJS code calls require() for node's own modules; ESM has none, so give it one.
  banner: { js: "import { createRequire as __benchtopCreateRequire } from 'node:module'; const require = __benchtopCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
