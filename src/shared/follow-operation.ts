/**
 * Following one operation: its steps and progress events, matched by its id (and its children's,
 * `<id>:<child>`), until the returned function is called. The renderer (`window.benchtop.on`) and the
 * CLI (`core.bus.on`) both subscribe through this one helper.
 */
import type { EventMap, EventName } from './ipc';

/** The events that belong to one operation: each payload carries the operation's `opId`. */
export type OperationEventName = { [E in EventName]: EventMap[E] extends { opId: string } ? E : never }[EventName];

export type OperationListeners = { [E in OperationEventName]?: (payload: EventMap[E]) => void };

/** The shape of `window.benchtop.on` and the core's `EventBus.on`. */
export type Subscribe = <E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => () => void;

/** True when `opId` is `parent` or one of its children (`parent:…`). */
export function belongsTo(opId: string, parent: string): boolean {
  return opId === parent || opId.startsWith(`${parent}:`);
}

export interface FollowOptions {
  /** Also the children's events (a move's syncs, a start's sync); default true. */
  children?: boolean;
}

/** Calls each listener for its event of operation `opId`; returns the function that stops following. */
export function followOperation(on: Subscribe, opId: string, listeners: OperationListeners, options: FollowOptions = {}): () => void {
  const mine = options.children === false ? (id: string) => id === opId : (id: string) => belongsTo(id, opId);
  const offs = (Object.keys(listeners) as OperationEventName[]).map((event) => {
    const listener = listeners[event] as (payload: { opId: string }) => void;
    return on(event, (payload) => {
      if (mine((payload as { opId: string }).opId)) listener(payload as { opId: string });
    });
  });
  return () => offs.forEach((off) => off());
}
