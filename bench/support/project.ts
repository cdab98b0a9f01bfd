import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';

/** A throwaway project pinned to `imageRef`, with the image's lockfile, for benches. */
export function benchProject(imageRef: string, lockfilePath: string): { dir: string; notebooks: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bt-bench-'));
  mkdirSync(join(dir, '.devcontainer'));
  mkdirSync(join(dir, 'notebooks'));
  copyFileSync(lockfilePath, join(dir, 'environment.lock'));
  writeFileSync(join(dir, '.devcontainer', 'devcontainer.json'), JSON.stringify({ name: 'bt-bench', image: imageRef }));
  return { dir, notebooks: join(dir, 'notebooks') };
}

/** A Core with its own settings folder, as the CLI would build it. */
export function benchCore(): Core {
  return new Core({ settings: openConfSettings(mkdtempSync(join(tmpdir(), 'bt-bench-settings-'))), shell: 'cli' });
}
