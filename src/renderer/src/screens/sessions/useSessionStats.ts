import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import type { StatsSample } from '../../components/StatsPlot';
import { newOpId } from '../../lib/opid';
import { cancelOperation, follow } from '../../lib/operation';
import { pushSample } from '../../lib/progress';

/**
 * Watches CPU/memory of the given sessions: one sessionWatchStats operation per session, cancelled
 * when the session leaves the list or the screen unmounts. Keeps the last minute of samples each.
 */
export function useSessionStats(ids: readonly string[]): Record<string, StatsSample[]> {
  const [samples, setSamples] = useState<Record<string, StatsSample[]>>({});
  /** Session id → its stats operation and the function that stops following it. */
  const watching = useRef(new Map<string, { opId: string; off(): void }>());
  const key = [...ids].sort().join(',');

  useEffect(() => {
    const wanted = new Set(key ? key.split(',') : []);
    const map = watching.current;
    for (const [id, { opId, off }] of map) {
      if (!wanted.has(id)) {
        off();
        cancelOperation(api, opId);
        map.delete(id);
      }
    }
    for (const id of wanted) {
      if (map.has(id)) continue;
      const opId = newOpId('stats');
      const off = follow(api, opId, { sessionStats: (s) => setSamples((all) => ({ ...all, [id]: pushSample(all[id] ?? [], s) })) });
      map.set(id, { opId, off });
      // The call stays open until cancelled; its end (or failure) just stops the plot.
      api.sessionWatchStats({ opId, id }).catch(() => {
        if (map.get(id)?.opId !== opId) return;
        off();
        map.delete(id);
      });
    }
  }, [key]);

  useEffect(
    () => () => {
      for (const { opId, off } of watching.current.values()) {
        off();
        cancelOperation(api, opId);
      }
      watching.current.clear();
    },
    [],
  );
  return samples;
}
