import { app, safeStorage } from 'electron';
import ElectronStore from 'electron-store';
import type { SecretBox } from './core/secrets';
import { noSecretBox } from './core/secrets';
import type { Settings } from './core/settings/schema';
import { openSettingsStore, type ConfLike, type SettingsStore } from './core/settings/store';

/** The app's settings: electron-store in the user-data folder, with the same schema and backup rule as the CLI's. */
export function openAppSettings(): SettingsStore {
  return openSettingsStore(app.getPath('userData'), (options) => new ElectronStore<Settings>(options) as unknown as ConfLike);
}

/**
 * Secrets sealed by the OS keychain through safeStorage. On Linux without a keyring Electron falls
 * back to a hard-coded key ("basic_text"), which is plain text in disguise: treated as unavailable.
 */
export function openSecretBox(): SecretBox {
  const linuxPlain = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || linuxPlain) return noSecretBox;
  return {
    available: true,
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
