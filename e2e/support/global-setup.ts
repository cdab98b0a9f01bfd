import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildBridge } from './bridge-build';
import { electronBinary } from './electron-binary';

const root = resolve(import.meta.dirname, '../..');

/** Newest modification time of any file under the given folders. */
function newest(dirs: readonly string[]): number {
  let latest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else latest = Math.max(latest, statSync(path).mtimeMs);
    }
  };
  dirs.filter(existsSync).forEach(walk);
  return latest;
}

/**
 * Builds the app (renderer, main, preload) when the build is missing or older than its sources, so
 * the specs always drive the current UI, and bundles the test bridge (always: about a second), which
 * app.ts starts per test as plain `node out/e2e-bridge/server.js`.
 */
export default async function globalSetup(): Promise<void> {
  const built = join(root, 'out/renderer/index.html');
  const sources = newest(['src/renderer', 'src/shared', 'src/main', 'src/preload'].map((d) => join(root, d)));
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    process.stdout.write('Building the app (npx electron-vite build)…\n');
    execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  await buildBridge(root);
  const electron = electronBinary();
  if ('missing' in electron) process.stdout.write(`Project "electron": every spec is skipped. ${electron.missing}\n`);
}
