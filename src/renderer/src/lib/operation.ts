import { followOperation, type FollowOptions, type OperationListeners } from '../../../shared/follow-operation';
import type { BenchtopApi } from '../../../shared/ipc';

/**
 * The renderer's one way to follow an operation it started: `listeners` get the operation's steps and
 * progress events (its children's too, unless `children: false`) until the returned function is called.
 */
export function follow(api: BenchtopApi, opId: string, listeners: OperationListeners, options?: FollowOptions): () => void {
  return followOperation((event, listener) => api.on(event, listener), opId, listeners, options);
}

/** Cancels an operation the UI started and no longer wants (a closed panel, a session left the list). */
export function cancelOperation(api: BenchtopApi, opId: string): void {
  // Ignoring a failure is right here: an operation that already ended has nothing left to cancel, and
  // the window that asked is going away; the core logs the operation's own end.
  void api.operationCancel({ opId }).catch(() => undefined);
}
