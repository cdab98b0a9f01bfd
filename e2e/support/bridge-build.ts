import { build } from 'esbuild';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** Where the built bridge lives: two folders below the root, like out/cli, so the core finds its files. */
export const BRIDGE_OUT = 'out/e2e-bridge';

/**
 * Bundles the test bridge once per Playwright run, so each launch spawns plain `node
 * out/e2e-bridge/server.js` instead of compiling the core's TypeScript with tsx (and the page's
 * client with esbuild) at every start. npm packages stay external and load from node_modules.
 * Built aside and renamed into place: a bridge still running from an earlier run never reads half a file.
 */
export async function buildBridge(root: string): Promise<string> {
  const outDir = join(root, BRIDGE_OUT);
  mkdirSync(outDir, { recursive: true });
  // Per process: two runs started together (engineers share a checkout) never rename each other's half-written file.
  const tmp = `.${process.pid}.tmp`;
  const server = build({
    entryPoints: [join(root, 'e2e/bridge/server.ts')],
    outfile: join(outDir, `server.js${tmp}`),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    // No source map: an inline one triples the file node reads at every start; the bundle is
    // unminified, with each source file's path as a comment above its code, for reading a stack.
    logLevel: 'warning',
  });
  // The page's `window.benchtop` (what server.ts would otherwise bundle at every start).
  const client = build({
    entryPoints: [join(root, 'e2e/bridge/client.ts')],
    outfile: join(outDir, `api.js${tmp}`),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
  });
  await Promise.all([server, client]);
  renameSync(join(outDir, `api.js${tmp}`), join(outDir, 'api.js'));
  renameSync(join(outDir, `server.js${tmp}`), join(outDir, 'server.js'));
  return join(outDir, 'server.js');
}
