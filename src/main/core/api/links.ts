import type { LinksInvoke } from '../../../shared/contract/links';
import type { Core } from '../core';
import type { HandlersFor } from './types';

/** The cancel signal of what `ops.run` hands over (an Operation, or its signal before the Operation refactor). */
const signalOf = (op: AbortSignal | { signal: AbortSignal }): AbortSignal => ('signal' in op && !('aborted' in op) ? op.signal : (op as AbortSignal));

export function linksHandlers(core: Core): HandlersFor<LinksInvoke> {
  return {
    linkOpen: ({ url }) => {
      core.links.receive(url);
      return { queued: true };
    },
    linkPending: () => ({ urls: core.links.takePending() }),
    linkPlan: ({ opId, url, parentDir }) => core.ops.run(opId, (op) => core.links.plan(url, { parentDir, signal: signalOf(op) })),
    linkConfirm: ({ opId, planId, dir }) => core.ops.run(opId, () => core.links.confirm(planId, dir)),
    linkCancel: async ({ planId }) => ({ cancelled: await core.links.cancel(planId) }),
  };
}
