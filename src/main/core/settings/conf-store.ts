import { homedir } from 'node:os';
import { join } from 'node:path';
import { JsonFileConf } from './json-file-conf';
import { openSettingsStore, type SettingsStore } from './store';

/** Where the CLI and the app keep settings when no Electron is around (same folder as the app's). */
export function defaultSettingsDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.BENCHTOP_HOME) return env.BENCHTOP_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Benchtop');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Benchtop');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Benchtop');
}

/**
 * Settings for the CLI, tests and the test bridge: the same file the app's electron-store keeps, read
 * and written the way `conf` does it, without loading `conf` (see JsonFileConf).
 */
export function openConfSettings(dir = defaultSettingsDir()): SettingsStore {
  return openSettingsStore(dir, (options) => new JsonFileConf(options));
}
