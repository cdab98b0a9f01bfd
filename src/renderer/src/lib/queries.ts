import { QueryClient } from '@tanstack/react-query';

/**
 * The keys of the reads several screens share. One cache holds each answer; the session-event
 * subscription (hooks/useCacheEvents.ts) and the mutations mark them out of date.
 */
export const queryKeys = {
  hostList: ['hostList'] as const,
  sessionList: ['sessionList'] as const,
  teamSettings: (dir: string | undefined) => ['teamSettings', dir ?? ''] as const,
  /** Every teamSettings key, whatever the folder. */
  teamSettingsAll: ['teamSettings'] as const,
};

/**
 * The renderer's one query cache. An answer stays current until an event or a change says
 * otherwise (no timed refetch), failures show at once (no silent retries), and every fetch hands
 * back a new object so screens can tell a reloaded list from the one they had.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: Infinity,
        gcTime: Infinity,
        retry: false,
        structuralSharing: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
      mutations: { retry: false },
    },
  });
}
