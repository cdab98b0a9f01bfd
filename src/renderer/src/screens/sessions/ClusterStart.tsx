import { useState, type FormEvent } from 'react';
import type { HostInfo } from '../../../../shared/ipc';
import { api } from '../../api';
import { useApp } from '../../app-context';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction, useCall } from '../../hooks/useCall';
import { slurmTimeMinutes, TIME_CHOICES } from '../../lib/cluster-words';
import { newOpId } from '../../lib/opid';

/** The partition a session would land in: the cluster's setting is not known here, so the default one. */
const defaultPartition = (host: HostInfo) => host.cluster?.partitions.find((p) => p.isDefault) ?? host.cluster?.partitions[0];

/**
 * Welcome → Start on a Slurm cluster: choose the cluster, how many GPUs and how long (Slurm's
 * --time, the session's expiry), and submit. The job usually waits in the queue first: the answer
 * comes at once and the Sessions screen follows it until its notebook answers.
 */
export function ClusterStart({ dir }: { dir: string }) {
  const { navigate, settings } = useApp();
  const hosts = useCall(() => api.hostList(), 'hosts');
  const clusters = (hosts.data ?? []).filter((h) => h.kind === 'slurm');
  const [target, setTarget] = useState('');
  const [gpus, setGpus] = useState(1);
  const [minutes, setMinutes] = useState(60);
  const action = useAction();
  if (clusters.length === 0) return null;

  // Unless the user picked one, the default target when it is a cluster, else the first cluster.
  const chosen = clusters.find((c) => c.id === target) ?? clusters.find((c) => c.id === settings?.defaultTarget) ?? clusters[0];
  const partition = chosen ? defaultPartition(chosen) : undefined;
  const maxMinutes = partition ? slurmTimeMinutes(partition.timeLimit) : undefined;
  const maxGpus = chosen?.cluster?.limits.maxGpusPerUser ?? partition?.gpus;
  const choices = TIME_CHOICES.filter((c) => maxMinutes === undefined || c.minutes <= maxMinutes);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen || action.busy !== null) return;
    const info = await action.run('submit', () => api.clusterSessionUp({ opId: newOpId('cluster-up'), dir, target: chosen.id, gpus, timeMinutes: minutes }));
    // The Sessions screen follows it from here (queue, start, notebook).
    if (info) navigate('sessions');
  };

  return (
    <form className="card cluster-start" onSubmit={(e) => void submit(e)} aria-label="Start on a Slurm cluster">
      <h2>Or start on a Slurm cluster</h2>
      <div className="row fields">
        <label className="field">
          <span>Cluster</span>
          <select value={chosen?.id ?? ''} onChange={(e) => setTarget(e.target.value)}>
            {clusters.map((c) => (
              <option key={c.id} value={c.id}>{c.id}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>GPUs</span>
          <input type="number" min={0} max={maxGpus} value={gpus} onChange={(e) => setGpus(Math.max(0, Math.floor(Number(e.target.value) || 0)))} />
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
        {partition ? `Partition ${partition.name}: ${partition.gpus} GPUs, at most ${partition.timeLimit}` : 'Partitions unknown until the cluster answers'}
        {maxGpus !== undefined && chosen?.cluster?.limits.maxGpusPerUser !== undefined ? ` · your QOS allows ${maxGpus} GPUs at a time` : ''}. Slurm queues the job
        when the GPUs are taken; the session ends when its time limit runs out.
      </p>
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
    </form>
  );
}
