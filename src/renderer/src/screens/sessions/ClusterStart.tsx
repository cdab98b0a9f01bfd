import { useState, type FormEvent } from 'react';
import type { SlurmClusterInfo } from '../../../../shared/ipc';
import { api } from '../../api';
import { useApp } from '../../app-context';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction, useCall } from '../../hooks/useCall';
import { slurmTimeMinutes, TIME_CHOICES } from '../../lib/cluster-words';
import { newOpId } from '../../lib/opid';

/** The partition a session would land in: the cluster's setting is not known here, so the default one. */
const defaultPartition = (info: SlurmClusterInfo | undefined) => info?.partitions.find((p) => p.isDefault) ?? info?.partitions[0];

/**
 * Welcome → Start on a Slurm cluster: choose the cluster, how many GPUs and how long (Slurm's
 * --time, the session's expiry), and submit. The job usually waits in the queue first: the answer
 * comes at once and the Sessions screen follows it until its notebook answers. Only the chosen
 * cluster is asked for its facts (partition limits, your QOS), not every host.
 */
export function ClusterStart({ dir }: { dir: string }) {
  const { navigate, settings } = useApp();
  const list = useCall(() => api.clusterList(), 'cluster-ids');
  const clusters = list.data ?? [];
  const [target, setTarget] = useState('');
  // Unless the user picked one, the default target when it is a cluster, else the first cluster.
  const chosen = clusters.find((c) => c === target) ?? clusters.find((c) => c === settings?.defaultTarget) ?? clusters[0];
  const facts = useCall(chosen ? () => api.clusterCheck({ hostId: chosen }) : null, `cluster-check ${chosen ?? ''}`);
  const [gpus, setGpus] = useState(1);
  const [minutes, setMinutes] = useState(60);
  const action = useAction();
  if (!chosen) return null;

  const partition = defaultPartition(facts.data);
  const maxMinutes = partition ? slurmTimeMinutes(partition.timeLimit) : undefined;
  const quota = facts.data?.limits.maxGpusPerUser;
  const choices = TIME_CHOICES.filter((c) => maxMinutes === undefined || c.minutes <= maxMinutes);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (action.busy !== null) return;
    const info = await action.run('submit', () => api.clusterSessionUp({ opId: newOpId('cluster-up'), dir, target: chosen, gpus, timeMinutes: minutes }));
    // The Sessions screen follows it from here (queue, start, notebook).
    if (info) navigate('sessions');
  };

  return (
    <form className="card cluster-start" onSubmit={(e) => void submit(e)} aria-label="Start on a Slurm cluster">
      <h2>Or start on a Slurm cluster</h2>
      <div className="row fields">
        <label className="field">
          <span>Cluster</span>
          <select value={chosen} onChange={(e) => setTarget(e.target.value)}>
            {clusters.map((c) => (
              <option key={c} value={c}>{c}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>GPUs</span>
          <input type="number" min={0} max={quota ?? partition?.gpus} value={gpus} onChange={(e) => setGpus(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
        </label>
        <label className="field">
          <span>Time limit</span>
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {choices.map((c) => (
              <option key={c.minutes} value={c.minutes}>{c.label}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn primary" aria-disabled={action.busy !== null || undefined}>
          {action.busy === 'submit' ? 'Submitting…' : 'Start on cluster'}
        </button>
      </div>
      <p className="muted">
        {partition ? `Partition ${partition.name}: ${partition.gpus} GPUs, at most ${partition.timeLimit}` : facts.loading ? `Asking ${chosen} for its partitions…` : `${chosen} did not say its partitions`}
        {quota !== undefined ? ` · your QOS allows ${quota} GPUs at a time` : ''}. Slurm queues the job when the GPUs are taken; the
        session ends when its time limit runs out.
      </p>
      {facts.error && <ErrorPanel error={facts.error} onRetry={facts.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
    </form>
  );
}
