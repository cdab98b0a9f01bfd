import type { Core } from '../core';
import { BENCHTOP_VERSION } from '../version';
import { UpdateService } from './service';

/** The core's UpdateService: the user's updateUrl, else the team file's; syncs and moves block a restart. */
export function updateServiceFor(core: Core): UpdateService {
  const log = core.log.child('updates');
  return new UpdateService({
    version: BENCHTOP_VERSION,
    log,
    feed: async () => {
      const own = core.settings.get('updateUrl');
      if (own) return { url: own, from: 'your settings' };
      const team = await core.team.load().catch((error: unknown) => log.ignored('read the team file for its updateUrl', error));
      return team?.updateUrl ? { url: team.updateUrl, from: team.source } : undefined;
    },
    busy: () => {
      const running: string[] = [];
      const syncs = core.sync.active;
      const moves = core.moves.active;
      if (syncs) running.push(syncs === 1 ? 'a notebook sync' : `${syncs} notebook syncs`);
      if (moves) running.push(moves === 1 ? 'a session move' : `${moves} session moves`);
      return running;
    },
  });
}
