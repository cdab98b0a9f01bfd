import { randomBytes } from 'node:crypto';
import type { GpusInvoke } from '../../../shared/contract/gpus';
import type { Core } from '../core';
import { BenchtopError } from '../errors';
import { policyChangeWithTeamDefaults } from '../team/effective';
import type { HandlersFor } from './types';

function needTarget(target: unknown): string {
  if (typeof target !== 'string' || !target) throw new BenchtopError('INVALID_ARGUMENT', 'Which host? The call needs a target.', 'Pass a host id from the Hosts page (or `local`).');
  return target;
}

function needSession(sessionId: unknown): string {
  if (typeof sessionId !== 'string' || !sessionId) throw new BenchtopError('INVALID_ARGUMENT', 'Which lease? The call needs the session id it belongs to.', 'Pass the SESSION shown by `benchtop gpus`.');
  return sessionId;
}

export function gpusHandlers(core: Core): HandlersFor<GpusInvoke> {
  return {
    gpuBoard: ({ target }) => core.gpus.board(needTarget(target)),
    gpuClaim: async ({ target, count, ids, hours, wait }) => {
      const t = needTarget(target);
      // A reservation is its own "session": the cards are the caller's until expiry or release.
      const sessionId = `claim-${core.owner.name.replace(/[^a-zA-Z0-9_.-]/g, '_')}-${randomBytes(3).toString('hex')}`;
      const image = await core.gpus.recordImage(t);
      return core.gpus.claimOrQueue(t, { count, ids, hours, kind: 'reservation' }, sessionId, image, wait === true);
    },
    gpuExtend: ({ target, sessionId, hours }) => core.gpus.extend(needTarget(target), needSession(sessionId), hours),
    gpuRelease: async ({ target, sessionId }) => ({ freed: await core.gpus.releaseOwn(needTarget(target), needSession(sessionId)) }),
    gpuQueueCancel: ({ target, sessionId }) => core.gpus.cancel(needTarget(target), needSession(sessionId)),
    hostPolicyGet: ({ hostId }) => core.gpus.policy(needTarget(hostId)),
    hostPolicySet: async ({ hostId, policy }) => {
      const target = needTarget(hostId);
      // A host still on the built-in defaults takes the team file's GPU policy defaults for what is not given.
      const current = await core.gpus.policy(target);
      const team = current.setBy === undefined ? await core.team.load().catch((e: unknown) => core.log.child('team').ignored('read the team file for GPU policy defaults', e)) : undefined;
      return core.gpus.setPolicy(target, policyChangeWithTeamDefaults(current, policy ?? {}, team));
    },
  };
}
