import { useEffect, useRef } from 'react';
import type { EventMap, EventName } from '../../../shared/ipc';
import { api } from '../api';

/** Listens to one event while the component is mounted; the listener is removed on unmount. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => api.on(event, (payload) => latest.current(payload)), [event]);
}
