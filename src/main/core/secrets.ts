import { BenchtopError } from './errors';

/**
 * Encrypts secrets before they reach the settings file. The app passes one backed by Electron's
 * safeStorage (the OS keychain); where none exists (CLI, tests without a keychain) secrets are refused,
 * never stored in plain text.
 */
export interface SecretBox {
  readonly available: boolean;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export const noSecretBox: SecretBox = {
  available: false,
  encrypt() {
    throw new BenchtopError(
      'SECRET_STORAGE_UNAVAILABLE',
      'This computer offers no encrypted storage for secrets, so Benchtop will not save the password.',
      'Use `docker login` (a credential helper) instead; Benchtop reads credentials from there.',
    );
  },
  decrypt() {
    throw new BenchtopError('SECRET_STORAGE_UNAVAILABLE', 'No encrypted storage is available to read this secret.', '');
  },
};
