import { useCallback, useEffect, useRef } from 'react';
import type { OperationEventName, OperationListeners } from '../../../shared/follow-operation';
import { api } from '../api';
import { follow } from '../lib/operation';

/**
 * Follows one operation at a time while the component is mounted: call the returned function with
 * the op id right before the call that starts it (so no early event is missed), with another id to
 * switch, or with null to stop. The latest `listeners` are always the ones called.
 */
export function useFollow(listeners: OperationListeners): (opId: string | null) => void {
  const latest = useRef(listeners);
  latest.current = listeners;
  const off = useRef<(() => void) | null>(null);
  useEffect(() => () => off.current?.(), []);
  return useCallback((opId: string | null) => {
    off.current?.();
    off.current = null;
    if (opId === null) return;
    const events = Object.keys(latest.current) as OperationEventName[];
    const proxied = Object.fromEntries(events.map((event) => [event, (payload: never) => (latest.current[event] as ((p: never) => void) | undefined)?.(payload)]));
    off.current = follow(api, opId, proxied as OperationListeners);
  }, []);
}
