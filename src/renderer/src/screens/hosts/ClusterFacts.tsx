import type { SlurmClusterInfo } from '../../../../shared/ipc';
import { DataTable } from '../../components/DataTable';

/** What a cluster's check learned (sinfo, sacctmgr): its partitions with their GPUs and time limits, and your limits. */
export function ClusterFacts({ hostId, cluster }: { hostId: string; cluster: SlurmClusterInfo }) {
  const { limits } = cluster;
  return (
    <>
      <dl className="facts">
        <dt>GPUs</dt>
        <dd>{cluster.gpus} over {cluster.partitions.length} partition(s)</dd>
        <dt>Accounts</dt>
        <dd>{limits.accounts.length > 0 ? limits.accounts.join(', ') : '—'}</dd>
        <dt>QOS</dt>
        <dd>{limits.qos.length > 0 ? limits.qos.join(', ') : '—'}</dd>
        <dt>Your GPU limit</dt>
        <dd>
          {limits.maxGpusPerUser !== undefined ? `${limits.maxGpusPerUser} GPUs at a time (QOS)` : 'none set'}
          {limits.groupGpuLimit !== undefined ? ` · ${limits.groupGpuLimit} for your account` : ''}
        </dd>
      </dl>
      <DataTable label={`Partitions of ${hostId}`} columns={['Partition', 'State', 'Nodes', 'GPUs', 'GPU types', 'Time limit']}>
        {cluster.partitions.map((p) => (
          <tr key={p.name} aria-label={`Partition ${p.name}`}>
            <td>{p.name}{p.isDefault ? ' (default)' : ''}</td>
            <td>{p.available}</td>
            <td className="num">{p.nodes}</td>
            <td className="num">{p.gpus}</td>
            <td>{p.gpuTypes.length > 0 ? p.gpuTypes.join(', ') : '—'}</td>
            <td className="num">{p.timeLimit}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
