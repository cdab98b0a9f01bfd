export type Theme = 'system' | 'dark' | 'light';

/** Settings as the renderer sees them: never any secret, only whether one is stored. */
export interface SettingsView {
  theme: Theme;
  defaultTarget: string;
  idleMinutes: number;
  /** `check`: the last sign-in check of the login (absent: saved before checks existed). */
  registryCredentials: { registry: string; username: string; check?: { state: 'signed-in' | 'no-login-asked' | 'not-checked'; at: string } }[];
  /** False where this computer cannot encrypt secrets (then none are stored). */
  secretStorageAvailable: boolean;
}

export interface AppInfo {
  version: string;
  platform: string;
  arch: string;
  /** Problems found at start-up, e.g. a corrupt settings file that was backed up. */
  warnings: string[];
  /** `electron` in the app, `bridge` under the test bridge, `cli`. */
  shell: 'electron' | 'bridge' | 'cli';
}

export interface AppInvoke {
  appInfo: (req: void) => AppInfo;
  settingsGet: (req: void) => SettingsView;
  settingsSet: (req: Partial<Pick<SettingsView, 'theme' | 'defaultTarget' | 'idleMinutes'>>) => SettingsView;
  /**
   * Signs in to the registry with the login, then saves it (REGISTRY_AUTH_FAILED: refused, not saved).
   * `unchecked` saves without signing in (for a registry out of reach now), marked not checked.
   */
  credentialSet: (req: { registry: string; username: string; password: string; unchecked?: boolean }) => SettingsView;
  /** Signs in again with a saved login and records the answer (throws as credentialSet does; the login stays). */
  credentialCheck: (req: { registry: string }) => SettingsView;
  credentialRemove: (req: { registry: string }) => SettingsView;
  /** Opens an http(s) URL in the default browser; anything else is refused. */
  openExternal: (req: { url: string }) => { opened: boolean };
  /** For a help request: versions, a fresh machine check report and the end of the log, secrets masked. */
  diagnostics: (req: { opId: string }) => Diagnostics;
}

export interface Diagnostics {
  text: string;
  /** The folder holding the full log (benchtop.log and its rotated files). */
  logDir: string;
}
