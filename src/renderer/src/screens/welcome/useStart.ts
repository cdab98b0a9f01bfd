import { api } from '../../api';
import { useApp } from '../../app-context';
import { useAction } from '../../hooks/useCall';
import { newOpId } from '../../lib/opid';

/**
 * Welcome's one-click Start: where the effective default target (Settings, else the team file) is a
 * Slurm cluster, the session is a job submitted there and the Sessions screen follows it (pending,
 * then running); otherwise the usual start flow (check, pull, start, open). A failure to ask or to
 * submit is the returned action's error.
 */
export function useStart() {
  const { navigate, startFlow } = useApp();
  const action = useAction();
  const start = async (dir: string): Promise<void> => {
    if (action.busy !== null) return;
    const cluster = await action.run('route', () => api.clusterDefaultTarget({ dir }));
    if (cluster === undefined) return; // its error is shown
    if (cluster === null) {
      void startFlow.start(dir, 'check');
      return;
    }
    const info = await action.run('submit', () => api.clusterSessionUp({ opId: newOpId('cluster-up'), dir, target: cluster }));
    if (info) navigate('sessions');
  };
  return { start, busy: action.busy, error: action.error, clear: action.clear };
}
