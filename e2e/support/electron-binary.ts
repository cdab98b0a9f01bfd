import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const electronDir = resolve(import.meta.dirname, '../../node_modules/electron');

/**
 * The Electron binary, when it was downloaded (npm's electron package fetches it from GitHub on
 * first use; offline machines have none). Otherwise the reason, printed when specs are skipped.
 */
export function electronBinary(): { path: string } | { missing: string } {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: `Electron binary not installed: ${pathFile} is missing (run node scripts/ensure-electron.mjs online)` };
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { missing: `Electron binary not installed: ${binary} is missing` };
  return { path: binary };
}
