import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import type { StatsSample } from '../../components/StatsPlot';
import { useEvent } from '../../hooks/useEvent';
import { newOpId } from '../../lib/opid';
import { pushSample } from '../../lib/progress';

/**
 * Watches CPU/memory of the given sessions: one sessionWatchStats operation per session, cancelled
 * when the session leaves the list or the screen unmounts. Keeps the last minute of samples each.
 */
export function useSessionStats(ids: readonly string[]): Record<string, StatsSample[]> {
  const [samples, setSamples] = useState<Record<string, StatsSample[]>>({});
  const watching = useRef(new Map<string, string>());
  const key = [...ids].sort().join(',');

  useEvent('sessionStats', (s) => {
    if (watching.current.get(s.id) !== s.opId) return;
    setSamples((all) => ({ ...all, [s.id]: pushSample(all[s.id] ?? [], s) }));
  });

  useEffect(() => {
    const wanted = new Set(key ? key.split(',') : []);
    const map = watching.current;
    for (const [id, opId] of map) {
      if (!wanted.has(id)) {
        void api.operationCancel({ opId }).catch(() => undefined);
        map.delete(id);
      }
    }
    for (const id of wanted) {
      if (map.has(id)) continue;
      const opId = newOpId('stats');
      map.set(id, opId);
      // The call stays open until cancelled; its end (or failure) just stops the plot.
      api.sessionWatchStats({ opId, id }).catch(() => map.get(id) === opId && map.delete(id));
    }
  }, [key]);

  useEffect(
    () => () => {
      for (const opId of watching.current.values()) void api.operationCancel({ opId }).catch(() => undefined);
      watching.current.clear();
    },
    [],
  );
  return samples;
}
