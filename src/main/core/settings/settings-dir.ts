import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the CLI and the app keep settings when no Electron is around (same folder as the app's). */
export function defaultSettingsDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.BENCHTOP_HOME) return env.BENCHTOP_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Benchtop');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Benchtop');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Benchtop');
}
