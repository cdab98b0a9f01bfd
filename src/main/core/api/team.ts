import type { TeamInvoke } from '../../../shared/contract/team';
import type { Core } from '../core';
import { hostResult } from '../links/for-core';
import type { HandlersFor } from './types';

export function teamHandlers(core: Core): HandlersFor<TeamInvoke> {
  return {
    teamSettings: ({ dir }) => core.team.view(dir),
    teamJoinHosts: async ({ dir }) => ({ hosts: (await core.team.joinHosts(dir)).map(hostResult) }),
  };
}
