import { followOperation, type FollowOptions, type OperationListeners } from '../shared/follow-operation';
import type { CliContext } from './context';

export interface CliFollowOptions extends FollowOptions {
  /** Ctrl-C cancels the operation cleanly (a pull stops, a half-started session is cleaned up). */
  cancelOnInterrupt?: boolean;
}

/**
 * The CLI's one way to follow an operation it started: `listeners` get its steps and progress events
 * from the core's bus (its children's too, unless `children: false`) until the returned function is called.
 */
export function follow(ctx: CliContext, opId: string, listeners: OperationListeners, options: CliFollowOptions = {}): () => void {
  const off = followOperation((event, listener) => ctx.core.bus.on(event, listener), opId, listeners, options);
  if (!options.cancelOnInterrupt) return off;
  const onInt = () => ctx.core.ops.cancel(opId);
  process.once('SIGINT', onInt);
  return () => {
    off();
    process.off('SIGINT', onInt);
  };
}
