import type { SessionsInvoke } from '../../../shared/contract/sessions';
import type { Core } from '../core';
import { LOCAL } from '../engine/service';
import { BenchtopError, isAbortError } from '../errors';
import type { Operation } from '../operation';
import type { HandlersFor } from './types';

/** Runs a stream (logs, stats) as a cancellable operation in the background; its end is its own business. */
function background(core: Core, opId: string, work: (op: Operation) => Promise<unknown>): void {
  // Nobody awaits it: a stream that fails is logged (a cancelled one is the normal end).
  void core.ops.run(opId, work).catch((error: unknown) => {
    if (isAbortError(error) || (error as { code?: string }).code === 'CANCELLED') core.log.debug(`background operation ${opId} cancelled`);
    else core.log.child('sessions').ignored(`background operation ${opId} (a log or stats stream)`, error);
  });
}

export function sessionsHandlers(core: Core): HandlersFor<SessionsInvoke> {
  return {
    sessionUp: ({ opId, dir, target, open }) =>
      core.ops.run(opId, async (op) => core.sessions.up(op, dir, target ?? (await core.team.defaultTarget(dir)) ?? LOCAL, open)),
    sessionList: () => core.sessions.list(),
    sessionStop: ({ id }) => core.sessions.stop(id),
    sessionRestart: ({ opId, id }) => core.ops.run(opId, (op) => core.sessions.restart(op, id)),
    sessionRemove: ({ id }) => core.sessions.remove(id),
    sessionLogs: ({ opId, id, follow, tail }) => core.ops.run(opId, (op) => core.sessions.logs(op, id, follow, tail)),
    sessionOpen: ({ id, where }) => core.sessions.open(id, where),
    sessionWatchStats: async ({ opId, id }) => {
      await core.sessions.get(id); // SESSION_NOT_FOUND now, not silently in the background
      background(core, opId, (op) => core.sessions.watchStats(op, id));
      return { started: true };
    },
    imagePull: async ({ opId, ref }) => {
      if (!ref) throw new BenchtopError('INVALID_ARGUMENT', 'Which image? Give a reference like registry/team/analysis@sha256:….');
      const { digest, skipped } = await core.ops.run(opId, (op) => core.sessions.pulls.pull(LOCAL, ref, op));
      return { digest, skipped };
    },
    operationCancel: ({ opId }) => ({ cancelled: core.ops.cancel(opId) }),
  };
}
