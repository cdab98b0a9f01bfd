import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../api';
import { queryKeys } from '../lib/queries';

/**
 * The one session-event subscription that keeps the query cache honest: any session's new state
 * marks the session list out of date, and a session on a host the host list too (it counts each
 * host's sessions and GPU leases). A screen showing them now keeps its list (it overlays the same
 * events on it), a screen shown later asks again; with no change, nothing is asked twice. Mounted
 * once, at the app's root.
 */
export function useCacheEvents(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      api.on('sessionState', (info) => {
        void client.invalidateQueries({ queryKey: queryKeys.sessionList, refetchType: 'none' });
        // This computer's sessions are on no host's card.
        if (info.target !== 'local') void client.invalidateQueries({ queryKey: queryKeys.hostList, refetchType: 'none' });
      }),
    [client],
  );
}

/** Renders nothing; holds the subscription for the app's lifetime. */
export function CacheEvents(): null {
  useCacheEvents();
  return null;
}
