// Bundles the `benchtop` CLI (src/cli) into out/cli/benchtop.js, and its start-up front into out/cli/fast.cjs;
// npm packages stay external but a few (below).
// Split into chunks so each command loads only what it uses (`--version` does not load conf or
// tar-stream; dockerode and ssh2 load on first engine or SSH use).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const finalDir = join(root, 'out/cli');
// Built aside, then each file renamed into place (atomic per file): a `benchtop` process running
// while the CLI is rebuilt (tests run side by side; `npm run link-cli`) never reads half a file, and
// the chunks it loads later (same content, same hashed name) are still there.
mkdirSync(join(root, 'out'), { recursive: true });

/**
 * npm packages stay external, except these small pure-JS ones the core imports at start-up (and what
 * they import): one ESM chunk loads faster than CommonJS packages resolved, read and lexed file by
 * file. Anything else (native parts, loaded on first use, or new) stays external unless added here.
 */
const BUNDLED_PACKAGES = new Set(['jsonc-parser', 'tar-stream']);
const bundleOnlyListedPackages = {
  name: 'bundle-only-listed-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return undefined;
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      if (BUNDLED_PACKAGES.has(name) || args.importer.includes(`${join('node_modules', '')}`)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const outdir = mkdtempSync(join(root, 'out', '.cli-build-'));
await build({
  entryPoints: { benchtop: join(root, 'src/cli/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  plugins: [bundleOnlyListedPackages],
  sourcemap: 'linked',
  // ESM builds where a package has one (jsonc-parser's "main" is a UMD build that requires files by name).
  mainFields: ['module', 'main'],
  // Bundled CommonJS code calls require() for node's own modules; ESM has none, so give it one.
  banner: { js: "import { createRequire as __benchtopCreateRequire } from 'node:module'; const require = __benchtopCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The start-up front (src/cli/fast.ts, which bin/benchtop.js requires): `--version` and the fast paths
// of `engine` and `check` in one CommonJS file, so they start no ES module loader and load no chunks.
// Whatever it cannot answer runs the split bundle above. It must need nothing ESM-only (a warning here,
// such as import.meta in CommonJS, fails the build).
const front = await build({
  entryPoints: { fast: join(root, 'src/cli/fast.ts') },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  plugins: [bundleOnlyListedPackages],
  sourcemap: 'linked',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});
if (front.warnings.length > 0) throw new Error(`build-cli: the start-up front (src/cli/fast.ts) built with ${front.warnings.length} warning(s), above.`);

mkdirSync(finalDir, { recursive: true });
const fresh = new Set(readdirSync(outdir));
for (const name of fresh) renameSync(join(outdir, name), join(finalDir, name));
rmSync(outdir, { recursive: true, force: true });
// Chunks of earlier builds: left for an hour (a process started before this build may still load
// one), then removed.
const hourAgo = Date.now() - 3600_000;
for (const name of readdirSync(finalDir)) {
  if (!fresh.has(name) && statSync(join(finalDir, name)).mtimeMs < hourAgo) rmSync(join(finalDir, name), { force: true });
}
