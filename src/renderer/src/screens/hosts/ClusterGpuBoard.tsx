import { useEffect } from 'react';
import type { ClusterGpuJob } from '../../../../shared/ipc';
import { api } from '../../api';
import { useConfirm } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { ErrorPanel } from '../../components/ErrorPanel';
import { StatusBadge } from '../../components/StatusBadge';
import { useAction, useCall } from '../../hooks/useCall';

/** An open board reads the queue again this often: jobs start and end under it. */
const REFRESH_MS = 10_000;

const time = (iso?: string) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '—');
/** Jobs that hold or wait for cards; ended ones linger in squeue for a few minutes and are left out. */
const ACTIVE = new Set(['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED']);

function stateCell(job: ClusterGpuJob) {
  if (job.state === 'PENDING') return <><StatusBadge tone="warn">pending</StatusBadge><span className="muted">{job.reason}</span></>;
  if (job.state === 'RUNNING') return <StatusBadge tone="ok">running</StatusBadge>;
  return <StatusBadge tone="muted">{job.state.toLowerCase()}</StatusBadge>;
}

/**
 * Hosts → GPUs of a Slurm cluster: every GPU job in its queue (squeue --json), whoever runs it. Your
 * Benchtop sessions have Cancel; everyone else's jobs are read-only. Slurm hands the cards out.
 */
export function ClusterGpuBoard({ hostId }: { hostId: string }) {
  const board = useCall(() => api.clusterGpuJobs({ target: hostId }), `cluster-gpus ${hostId}`);
  const action = useAction();
  const confirm = useConfirm();
  useEffect(() => {
    const timer = setInterval(board.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [board.reload]);
  const cancel = async (job: ClusterGpuJob) => {
    const yes = await confirm.ask({ title: `Cancel job ${job.jobId} on ${hostId}?`, lost: ['Its kernels and their variables', job.state === 'PENDING' ? 'Its place in the queue' : `Its GPUs (${job.gpus.join(', ')})`], confirmLabel: 'Cancel job' });
    if (yes && (await action.run(`cancel ${job.jobId}`, () => api.clusterSessionCancel({ id: `${job.jobId}@${hostId}` })))) board.reload();
  };
  const jobs = (board.data ?? []).filter((j) => ACTIVE.has(j.state));
  return (
    <section className="card gpu-board cluster-jobs" aria-label={`GPU jobs of ${hostId}`}>
      <header className="card-head">
        <h2>GPU jobs on {hostId}</h2>
        <button type="button" className="btn small" onClick={board.reload} disabled={board.loading}>
          {board.loading ? 'Reading…' : 'Refresh'}
        </button>
      </header>
      {board.error && <ErrorPanel error={board.error} onRetry={board.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {board.data && jobs.length === 0 && <p className="muted">No GPU jobs in the queue.</p>}
      {jobs.length > 0 && (
        <DataTable label={`GPU jobs of ${hostId}`} columns={['Job', 'User', 'State', 'GPUs', 'Runs']} actions>
          {jobs.map((j) => (
            <tr key={j.jobId} aria-label={`Job ${j.jobId}`}>
              <td><span className="mono">{j.jobId}</span> {j.name}</td>
              <td>{j.user}{j.mine ? ' (you)' : ''}</td>
              <td>{stateCell(j)}</td>
              <td className="num">{j.gpus.length > 0 ? j.gpus.map((g) => `${j.nodes}:${g}`).join(', ') : `${j.gpusRequested} asked`}</td>
              <td className="num">{j.startedAt ? `${time(j.startedAt)}–${time(j.endsAt)}` : '—'}</td>
              <td>
                {j.mine && j.session ? (
                  <button type="button" className="btn small danger" disabled={action.busy !== null} onClick={() => void cancel(j)} aria-label={`Cancel job ${j.jobId}`}>
                    Cancel
                  </button>
                ) : (
                  <span className="muted" title={j.mine ? 'Not a Benchtop session: cancel it with scancel' : 'Only its owner can cancel it'}>read-only</span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {confirm.dialog}
    </section>
  );
}
