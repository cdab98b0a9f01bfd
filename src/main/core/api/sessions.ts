import type { SessionsInvoke } from '../../../shared/contract/sessions';
import type { Core } from '../core';
import { notImplemented } from './not-implemented';
import type { HandlersFor } from './types';

export function sessionsHandlers(core: Core): HandlersFor<SessionsInvoke> {
  return {
    sessionUp: notImplemented('sessionUp'),
    sessionList: notImplemented('sessionList'),
    sessionStop: notImplemented('sessionStop'),
    sessionRestart: notImplemented('sessionRestart'),
    sessionRemove: notImplemented('sessionRemove'),
    sessionLogs: notImplemented('sessionLogs'),
    sessionOpen: notImplemented('sessionOpen'),
    sessionWatchStats: notImplemented('sessionWatchStats'),
    imagePull: notImplemented('imagePull'),
    operationCancel: ({ opId }) => ({ cancelled: core.ops.cancel(opId) }),
  };
}
