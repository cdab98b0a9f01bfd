import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { HostInfo, SessionInfo, TeamSettingsView } from '../../../shared/ipc';
import { api, errorInfo } from '../api';
import { queryKeys } from '../lib/queries';
import type { CallState } from './useCall';

/** One shared read from the query cache, in useCall's shape; reload asks again. */
function useShared<T>(queryKey: QueryKey, queryFn: () => Promise<T>, enabled = true): CallState<T> {
  const client = useQueryClient();
  // A screen opening on an answer already out of date (an event or a change marked it) waits for
  // the new one, as a fresh read would, rather than showing the old list for a moment.
  const [opened] = useState(() => {
    const state = client.getQueryState(queryKey);
    return { at: Date.now(), stale: !state || state.isInvalidated };
  });
  const query = useQuery({ queryKey, queryFn, enabled });
  const current = !opened.stale || query.dataUpdatedAt >= opened.at;
  const reload = useCallback(() => void client.invalidateQueries({ queryKey }), [client, JSON.stringify(queryKey)]); // eslint-disable-line react-hooks/exhaustive-deps
  const error = useMemo(() => (query.error ? errorInfo(query.error) : null), [query.error]);
  return { data: current ? query.data : undefined, error, loading: query.isFetching, reload };
}

/** The hosts (shared by Hosts, Settings and the move dialog): asked once, kept by the cache. */
export const useHostList = (enabled = true): CallState<HostInfo[]> => useShared(queryKeys.hostList, () => api.hostList(), enabled);

/** Every session on every target (Sessions, Welcome, Project): asked once, kept by the cache. */
export const useSessionList = (): CallState<SessionInfo[]> => useShared(queryKeys.sessionList, () => api.sessionList());

/** The team file's settings for a project folder (or the user's own without one). */
export const useTeamSettings = (dir: string | undefined): CallState<TeamSettingsView> =>
  useShared(queryKeys.teamSettings(dir), () => api.teamSettings(dir ? { dir } : {}));

/** Marks shared reads out of date after a change: shown ones are asked again at once, others when next shown. */
export function useInvalidate() {
  const client = useQueryClient();
  return useCallback((...keys: QueryKey[]) => {
    for (const queryKey of keys) void client.invalidateQueries({ queryKey });
  }, [client]);
}
