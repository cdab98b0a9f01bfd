import { useEffect, useMemo, useRef, useState } from 'react';
import type { ClusterSession } from '../../../../shared/ipc';
import { api } from '../../api';
import { useConfirm } from '../../components/ConfirmDialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction, useCall } from '../../hooks/useCall';
import { useEvent } from '../../hooks/useEvent';
import { ClusterSessionCard } from './ClusterSessionCard';
import { limitMinutes } from '../../lib/cluster-words';
import { clusterProjectDir } from '../../lib/cluster-project';
import { useApp } from '../../app-context';

/** While one of yours waits or starts, the queue is read this often; otherwise rarely. */
const BUSY_REFRESH_MS = 5_000;
const QUIET_REFRESH_MS = 30_000;

/**
 * Sessions on Slurm clusters (Sessions screen): one card per job, kept current by the core's
 * `clusterSessionState` events and a poll of the queue; a session that leaves the queue and
 * answers says so in a banner with Open (the core also sends a desktop notification).
 */
export function ClusterSessions({ now, onShown }: { now: number; onShown?(count: number): void }) {
  const list = useCall(() => api.clusterSessionList({}), 'cluster-sessions');
  const [changed, setChanged] = useState<Record<string, ClusterSession>>({});
  const [started, setStarted] = useState<ClusterSession | null>(null);
  const action = useAction();
  const confirm = useConfirm();
  const seen = useRef<Record<string, ClusterSession['state']>>({});
  // Sync now needs the project folder here: the open project, else the recent one of the job's name.
  const { project } = useApp();
  const recent = useCall(() => api.projectRecent(), 'recent');

  useEvent('clusterSessionState', (info) => setChanged((c) => ({ ...c, [info.id]: info })));
  useEffect(() => setChanged({}), [list.data]);

  const sessions = useMemo(() => merge(list.data ?? [], changed), [list.data, changed]);
  useEffect(() => onShown?.(sessions.length), [onShown, sessions.length]);
  const waiting = sessions.some((s) => s.mine && (s.state === 'pending' || s.state === 'starting'));
  const { reload } = list;
  useEffect(() => {
    const timer = setInterval(reload, waiting ? BUSY_REFRESH_MS : QUIET_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload, waiting]);

  // A session of yours that was waiting and now answers: say so where the user is looking.
  useEffect(() => {
    for (const s of sessions) {
      const before = seen.current[s.id];
      if (s.mine && s.state === 'ready' && (before === 'pending' || before === 'starting')) setStarted(s);
      seen.current[s.id] = s.state;
    }
  }, [sessions]);

  const act = async (label: string, work: () => Promise<ClusterSession>) => {
    const info = await action.run(label, work);
    if (info) setChanged((c) => ({ ...c, [info.id]: info }));
    list.reload();
    return info;
  };
  const open = (s: ClusterSession) => void act(`open ${s.id}`, () => api.clusterSessionOpen({ id: s.id }));
  const cancel = async (s: ClusterSession) => {
    const yes = await confirm.ask({
      title: `Cancel ${s.projectName} on ${s.target}?`,
      lost: s.state === 'pending'
        ? [`Its place in ${s.target}'s queue`]
        : ['Running kernels and the variables in them', `The GPUs Slurm gave it (job ${s.jobId})`, 'Notebooks stay in the cluster\'s shared folder'],
      confirmLabel: 'Cancel job',
    });
    if (yes) await act(`cancel ${s.id}`, () => api.clusterSessionCancel({ id: s.id }));
  };
  const extend = (s: ClusterSession) => {
    const limit = limitMinutes(s);
    if (limit === undefined) return;
    void act(`extend ${s.id}`, () => api.clusterSessionExtend({ id: s.id, timeMinutes: limit + 60 }));
  };

  if (!list.error && sessions.length === 0) return null;
  return (
    <section className="cluster-sessions" aria-label="Cluster sessions">
      <h2>On Slurm clusters</h2>
      {list.error && <ErrorPanel error={list.error} onRetry={list.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {started && (
        <div className="banner info" role="status" aria-label="Cluster session started">
          <p>
            {started.projectName} left {started.target}&apos;s queue and runs on {started.nodes}: its notebook is ready.
          </p>
          <div className="row">
            <button type="button" className="btn small primary" onClick={() => { open(started); setStarted(null); }}>
              Open {started.projectName}
            </button>
            <button type="button" className="btn small" onClick={() => setStarted(null)}>
              Dismiss
            </button>
          </div>
        </div>
      )}
      <ul className="session-list" aria-label="Sessions on clusters">
        {sessions.map((s) => (
          <ClusterSessionCard
            key={s.id}
            session={s}
            now={now}
            busy={action.busy !== null && action.busy.endsWith(` ${s.id}`)}
            onOpen={() => open(s)}
            onCancel={() => void cancel(s)}
            onExtend={() => extend(s)}
            projectDir={clusterProjectDir(s.projectName, project, recent.data)}
          />
        ))}
      </ul>
      {confirm.dialog}
    </section>
  );
}

function merge(list: readonly ClusterSession[], changed: Record<string, ClusterSession>): ClusterSession[] {
  const byId = new Map(list.map((s) => [s.id, s]));
  for (const info of Object.values(changed)) byId.set(info.id, info);
  // A teammate's ended job is noise here (the queue keeps it for a few minutes); yours stays until the queue forgets it.
  const shown = [...byId.values()].filter((s) => s.mine || s.state === 'pending' || s.state === 'starting' || s.state === 'ready');
  return shown.sort((a, b) => Number(b.mine) - Number(a.mine) || a.target.localeCompare(b.target) || Number(a.jobId) - Number(b.jobId));
}
