import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, SETTINGS_VALIDATORS, type Settings } from './schema';

/** The part of `conf` (and so of electron-store, which extends it) that Benchtop uses. */
export interface ConfLike {
  readonly store: Partial<Settings>;
  get<K extends keyof Settings>(key: K): Settings[K];
  set<K extends keyof Settings>(key: K, value: Settings[K]): void;
}

export interface ConfOptions {
  cwd: string;
  configName: string;
  defaults: Settings;
  /** Never let conf wipe a file it cannot parse: we back it up ourselves. */
  clearInvalidConfig: false;
}

/** Typed settings, identical in the app (electron-store) and in the CLI and tests (conf). */
export interface SettingsStore {
  readonly path: string;
  /** Problems found when opening, for the UI to show once (e.g. a corrupt file that was backed up). */
  readonly warnings: readonly string[];
  get<K extends keyof Settings>(key: K): Settings[K];
  set<K extends keyof Settings>(key: K, value: Settings[K]): void;
  update<K extends keyof Settings>(key: K, change: (current: Settings[K]) => Settings[K]): Settings[K];
}

export const SETTINGS_FILE = 'settings';

/**
 * Opens the settings file through `open` (conf or electron-store). A file that cannot be parsed is
 * renamed to `settings.json.corrupt-<time>` and reported; keys with the wrong shape fall back to
 * their defaults and are reported too. Nothing is silently wiped.
 */
export function openSettingsStore(dir: string, open: (options: ConfOptions) => ConfLike, now = new Date()): SettingsStore {
  const path = join(dir, `${SETTINGS_FILE}.json`);
  const options: ConfOptions = { cwd: dir, configName: SETTINGS_FILE, defaults: DEFAULT_SETTINGS, clearInvalidConfig: false };
  const warnings: string[] = [];
  let conf: ConfLike;
  try {
    conf = open(options);
  } catch (error) {
    if (!existsSync(path)) throw error;
    const backup = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(path, backup);
    warnings.push(
      `Settings file ${path} could not be read (${(error as Error).message}); it was kept as ${backup} and defaults are in use.`,
    );
    conf = open(options);
  }
  const stored = conf.store; // read once: each read of `store` reads the file again
  for (const key of Object.keys(SETTINGS_VALIDATORS) as (keyof Settings)[]) {
    const value = stored[key];
    if (value !== undefined && !SETTINGS_VALIDATORS[key](value)) {
      warnings.push(`Setting "${key}" had an invalid value (${JSON.stringify(value)}); the default is used instead.`);
      conf.set(key, DEFAULT_SETTINGS[key]);
    }
  }
  return {
    path,
    warnings,
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    update(key, change) {
      const next = change(conf.get(key));
      conf.set(key, next);
      return next;
    },
  };
}
