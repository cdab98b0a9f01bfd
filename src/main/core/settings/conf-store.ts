import Conf from 'conf';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from './schema';
import { openSettingsStore, type ConfLike, type SettingsStore } from './store';

/** Where the CLI and the app keep settings when no Electron is around (same folder as the app's). */
export function defaultSettingsDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.BENCHTOP_HOME) return env.BENCHTOP_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Benchtop');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Benchtop');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Benchtop');
}

/** Settings over `conf`, for the CLI, tests and the test bridge. */
export function openConfSettings(dir = defaultSettingsDir()): SettingsStore {
  return openSettingsStore(dir, (options) => new Conf<Settings>({ ...options, projectName: 'benchtop' }) as unknown as ConfLike);
}
