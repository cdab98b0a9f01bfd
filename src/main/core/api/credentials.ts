import type { AppInvoke, SettingsView } from '../../../shared/contract/app';
import type { Core } from '../core';
import { BenchtopError } from '../errors';
import type { RegistryLoginCheck } from '../settings/schema';
import type { HandlersFor } from './types';

type CredentialCalls = Pick<AppInvoke, 'credentialSet' | 'credentialCheck' | 'credentialRemove'>;

/**
 * Registry logins: each is signed in with before it is saved (as `docker login` does), so a wrong
 * password shows where it was typed instead of at the next pull. A login saved without reaching the
 * registry is marked not checked and can be checked again later.
 */
export function credentialHandlers(core: Core, view: () => SettingsView): HandlersFor<CredentialCalls> {
  const signIn = async (registry: string, username: string, password: string): Promise<RegistryLoginCheck> => {
    const { state } = await core.registry.checkLogin({ registry, username, password });
    return { state: state === 'checked' ? 'signed-in' : 'no-login-asked', at: new Date(core.clock.now()).toISOString() };
  };
  return {
    credentialSet: async ({ registry, username, password, unchecked }) => {
      if (!registry || !username || !password) {
        throw new BenchtopError('INVALID_ARGUMENT', 'Registry, user name and password are all required.');
      }
      // Sealed first: without encrypted storage nothing is sent anywhere.
      const sealedPassword = core.secrets.encrypt(password);
      const check: RegistryLoginCheck = unchecked
        ? { state: 'not-checked', at: new Date(core.clock.now()).toISOString() }
        : await signIn(registry, username, password).catch((error: unknown) => {
          if (!(error instanceof BenchtopError)) throw error;
          throw new BenchtopError(error.code, `${error.message} The login was not saved.`, error.hint);
        });
      core.settings.update('registryCredentials', (list) => [
        ...list.filter((c) => c.registry !== registry),
        { registry, username, sealedPassword, check },
      ]);
      return view();
    },
    credentialCheck: async ({ registry }) => {
      const saved = core.settings.get('registryCredentials').find((c) => c.registry === registry);
      if (!saved) throw new BenchtopError('INVALID_ARGUMENT', `No login for ${registry} is saved.`, 'Add it under Settings → Registry logins.');
      const check = await signIn(registry, saved.username, core.secrets.decrypt(saved.sealedPassword));
      core.settings.update('registryCredentials', (list) => list.map((c) => (c.registry === registry ? { ...c, check } : c)));
      return view();
    },
    credentialRemove: ({ registry }) => {
      core.settings.update('registryCredentials', (list) => list.filter((c) => c.registry !== registry));
      return view();
    },
  };
}
