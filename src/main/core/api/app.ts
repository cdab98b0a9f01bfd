import type { AppInvoke, SettingsView } from '../../../shared/contract/app';
import type { Core } from '../core';
import { parseExternalUrl } from '../desktop';
import { BenchtopError } from '../errors';
import { diagnosticsText } from '../log/diagnostics';
import { SETTINGS_VALIDATORS } from '../settings/schema';
import { BENCHTOP_VERSION } from '../version';
import { credentialHandlers } from './credentials';
import type { HandlersFor } from './types';

function settingsView(core: Core): SettingsView {
  return {
    theme: core.settings.get('theme'),
    defaultTarget: core.settings.get('defaultTarget'),
    idleMinutes: core.settings.get('idleMinutes'),
    registryCredentials: core.settings.get('registryCredentials').map(({ registry, username, check }) => ({ registry, username, ...(check ? { check } : {}) })),
    secretStorageAvailable: core.secrets.available,
  };
}

export function appHandlers(core: Core): HandlersFor<AppInvoke> {
  return {
    appInfo: () => ({
      version: BENCHTOP_VERSION,
      platform: process.platform,
      arch: process.arch,
      warnings: [...core.settings.warnings],
      shell: core.shell,
    }),
    settingsGet: () => settingsView(core),
    settingsSet: (change) => {
      for (const [key, value] of Object.entries(change ?? {}) as [keyof typeof SETTINGS_VALIDATORS, unknown][]) {
        if (!['theme', 'defaultTarget', 'idleMinutes'].includes(key)) {
          throw new BenchtopError('INVALID_ARGUMENT', `"${key}" cannot be changed here.`);
        }
        if (!SETTINGS_VALIDATORS[key](value)) {
          throw new BenchtopError('INVALID_ARGUMENT', `${JSON.stringify(value)} is not a valid value for ${key}.`,
            key === 'idleMinutes' ? 'Use a whole number of minutes (0 turns idle stop off).' : '');
        }
        core.settings.set(key, value as never);
      }
      return settingsView(core);
    },
    ...credentialHandlers(core, () => settingsView(core)),
    diagnostics: async ({ opId }) => ({
      logDir: core.logDir,
      text: await diagnosticsText({
        version: BENCHTOP_VERSION,
        shell: core.shell,
        logDir: core.logDir,
        warnings: core.settings.warnings,
        checkReport: async () => (await core.ops.run(opId, (op) => core.machine.check(op))).text,
      }),
    }),
    openExternal: async ({ url }) => {
      const parsed = parseExternalUrl(url);
      if (!parsed) {
        throw new BenchtopError('INVALID_ARGUMENT', `Refusing to open "${url}": only http and https links open outside Benchtop.`);
      }
      await core.desktop.openExternal(parsed.toString());
      return { opened: true };
    },
  };
}
