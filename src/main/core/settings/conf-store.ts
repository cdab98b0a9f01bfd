import { JsonFileConf } from './json-file-conf';
import { defaultSettingsDir } from './settings-dir';
import { openSettingsStore, type SettingsStore } from './store';

/**
 * Settings for the CLI, tests and the test bridge: the same file the app's electron-store keeps, read
 * and written the way `conf` does it, without loading `conf` (see JsonFileConf).
 */
export function openConfSettings(dir = defaultSettingsDir()): SettingsStore {
  return openSettingsStore(dir, (options) => new JsonFileConf(options));
}
