import type { UpdateSource, UpdatesInvoke } from '../../../shared/contract/updates';
import type { Core } from '../core';
import { checkFeedUrl } from '../updates/feed';
import type { HandlersFor } from './types';

async function updateSource(core: Core): Promise<UpdateSource> {
  const team = await core.team.load().catch((error: unknown) => core.log.child('updates').ignored('read the team file for its updateUrl', error));
  return { url: core.settings.get('updateUrl'), ...(team?.updateUrl ? { teamUrl: team.updateUrl, teamSource: team.source } : {}) };
}

export function updatesHandlers(core: Core): HandlersFor<UpdatesInvoke> {
  return {
    updateCheck: () => core.updates.check(),
    updateRestartCheck: () => core.updates.restartNow(),
    updateSourceGet: () => updateSource(core),
    updateSourceSet: async ({ url }) => {
      const value = String(url ?? '').trim();
      core.settings.set('updateUrl', value ? checkFeedUrl(value, 'Settings').href : '');
      return updateSource(core);
    },
  };
}
