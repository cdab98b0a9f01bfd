import type { EngineInvoke } from '../../../shared/contract/engine';
import type { Core } from '../core';
import type { HandlersFor } from './types';

export function engineHandlers(core: Core): HandlersFor<EngineInvoke> {
  return {
    engineInfo: ({ target }) => core.engines.info(target ?? 'local'),
  };
}
