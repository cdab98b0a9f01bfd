import type { SessionsInvoke } from '../../../shared/contract/sessions';
import type { Core } from '../core';
import { LOCAL } from '../engine/service';
import { BenchtopError, isAbortError } from '../errors';
import type { HandlersFor } from './types';

/** Runs a stream (logs, stats) as a cancellable operation in the background; its end is its own business. */
function background(core: Core, opId: string, work: (signal: AbortSignal) => Promise<unknown>): void {
  // Nobody awaits it: a stream that fails is logged (a cancelled one is the normal end).
  void core.ops.run(opId, work).catch((error: unknown) => {
    if (isAbortError(error) || (error as { code?: string }).code === 'CANCELLED') core.log.debug(`background operation ${opId} cancelled`);
    else core.log.child('sessions').ignored(`background operation ${opId} (a log or stats stream)`, error);
  });
}

export function sessionsHandlers(core: Core): HandlersFor<SessionsInvoke> {
  return {
    sessionUp: ({ opId, dir, target, open }) =>
      core.ops.run(opId, (signal) => core.sessions.up(opId, dir, target ?? core.settings.get('defaultTarget') ?? LOCAL, signal, open)),
    sessionList: () => core.sessions.list(),
    sessionStop: ({ id }) => core.sessions.stop(id),
    sessionRestart: ({ opId, id }) => core.ops.run(opId, (signal) => core.sessions.restart(opId, id, signal)),
    sessionRemove: ({ id }) => core.sessions.remove(id),
    sessionLogs: ({ opId, id, follow, tail }) => core.ops.run(opId, (signal) => core.sessions.logs(opId, id, follow, tail, signal)),
    sessionOpen: ({ id, where }) => core.sessions.open(id, where),
    sessionWatchStats: async ({ opId, id }) => {
      await core.sessions.get(id); // SESSION_NOT_FOUND now, not silently in the background
      background(core, opId, (signal) => core.sessions.watchStats(opId, id, signal));
      return { started: true };
    },
    imagePull: async ({ opId, ref }) => {
      if (!ref) throw new BenchtopError('INVALID_ARGUMENT', 'Which image? Give a reference like registry/team/analysis@sha256:….');
      const { digest, skipped } = await core.ops.run(opId, (signal) => core.sessions.pulls.pull(LOCAL, ref, opId, signal));
      return { digest, skipped };
    },
    operationCancel: ({ opId }) => ({ cancelled: core.ops.cancel(opId) }),
  };
}
