import type { UpdatesInvoke } from '../../../shared/contract/updates';
import type { Core } from '../core';
import type { HandlersFor } from './types';

export function updatesHandlers(core: Core): HandlersFor<UpdatesInvoke> {
  return {
    updateCheck: () => core.updates.check(),
    updateRestartCheck: () => core.updates.restartNow(),
  };
}
