import { useEffect, useState } from 'react';
import type { GpuBoard as Board, GpuCard, GpuNotice } from '../../../../shared/ipc';
import { api } from '../../api';
import { DataTable } from '../../components/DataTable';
import { ErrorPanel } from '../../components/ErrorPanel';
import { StatusBadge } from '../../components/StatusBadge';
import { useAction, useCall } from '../../hooks/useCall';
import { useEvent } from '../../hooks/useEvent';

/** How often an open board reads the host again: leases and the queue change under it. */
const REFRESH_MS = 10_000;

const time = (iso?: string) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '—');
const hours = (h: number) => (h >= 1 ? `${+h.toFixed(2)} h` : `${+(h * 60).toFixed(1)} min`);

function holderCell(card: GpuCard) {
  if (card.state === 'unleased') return <StatusBadge tone="bad">in use without a lease</StatusBadge>;
  if (!card.lease) return <StatusBadge tone="ok">free</StatusBadge>;
  return <>{card.lease.holder}{card.lease.mine ? ' (you)' : ''}</>;
}

/**
 * Hosts → GPUs: one row per card (holder, session, since, expires, utilization, memory), the queue
 * under it, the host's policy and its agent's notices. The holder may extend a lease or leave the queue.
 */
export function GpuBoard({ hostId }: { hostId: string }) {
  const board = useCall(() => api.gpuBoard({ target: hostId }), `gpus ${hostId}`);
  const action = useAction();
  useEffect(() => {
    const timer = setInterval(board.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [board.reload]);
  const b: Board | undefined = board.data;
  const extend = async (sessionId: string) => {
    if (await action.run(`extend ${sessionId}`, () => api.gpuExtend({ target: hostId, sessionId }))) board.reload();
  };
  const leave = async (sessionId: string) => {
    if (await action.run(`leave ${sessionId}`, () => api.gpuQueueCancel({ target: hostId, sessionId }))) board.reload();
  };
  return (
    <section className="card gpu-board" aria-label={`GPUs of ${hostId}`}>
      <header className="card-head">
        <h2>GPUs of {hostId}</h2>
        <button type="button" className="btn small" onClick={board.reload} disabled={board.loading}>
          {board.loading ? 'Reading…' : 'Refresh'}
        </button>
      </header>
      {board.error && <ErrorPanel error={board.error} onRetry={board.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {b && (
        <>
          <p className="muted" aria-label="Host policy">
            {b.policy.maxGpusPerUser ? `${b.policy.maxGpusPerUser} GPUs per person` : 'No per-person limit'} · leases {hours(b.policy.leaseHours)} (max {hours(b.policy.maxLeaseHours)})
            {b.policy.idleMinutes ? ` · idle stop after ${+b.policy.idleMinutes.toFixed(1)} min` : ''} · {b.agent.running ? 'host agent running' : 'host agent not running yet'}
          </p>
          {b.problem && <p className="warn-text">GPUs cannot be read: {b.problem}</p>}
          <DataTable label={`Cards of ${hostId}`} columns={['GPU', 'Holder', 'Session', 'Since', 'Expires', 'Utilization', 'Memory']} actions>
            {b.cards.map((c) => (
              <tr key={c.uuid || c.index} aria-label={`GPU ${c.index}`}>
                <td>{c.index} · {c.name}</td>
                <td>{holderCell(c)}</td>
                <td className="mono">{c.lease?.sessionId ?? c.unleasedBy?.join(', ') ?? ''}</td>
                <td>{time(c.lease?.since)}</td>
                <td>{time(c.lease?.expires)}</td>
                <td>{c.utilizationPercent === undefined ? '—' : `${c.utilizationPercent}%`}</td>
                <td>{c.memoryUsedMiB === undefined ? '—' : `${Math.round(c.memoryUsedMiB / 1024)}`} / {Math.round(c.memoryMiB / 1024)} GiB</td>
                <td>
                  {c.lease?.mine && c.lease.sessionId && (
                    <button type="button" className="btn small" disabled={action.busy !== null} onClick={() => void extend(c.lease!.sessionId)} aria-label={`Extend ${c.lease.sessionId}`}>
                      Extend
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
          <h3>Queue</h3>
          {b.queue.length === 0 ? (
            <p className="muted">Nobody is waiting.</p>
          ) : (
            <DataTable label={`GPU queue of ${hostId}`} columns={['#', 'Holder', 'GPUs', 'Session', 'Waiting since']} actions>
              {b.queue.map((e) => (
                <tr key={e.sessionId} aria-label={`Queue position ${e.position}`}>
                  <td>{e.position}</td>
                  <td>{e.holder}{e.mine ? ' (you)' : ''}</td>
                  <td>{e.count}</td>
                  <td className="mono">{e.sessionId}</td>
                  <td>{time(e.since)}</td>
                  <td>
                    {e.mine && (
                      <button type="button" className="btn small" disabled={action.busy !== null} onClick={() => void leave(e.sessionId)} aria-label={`Leave the queue ${e.sessionId}`}>
                        Leave
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          {b.notices.length > 0 && (
            <ul className="notice-list" aria-label={`Notices of ${hostId}`}>
              {b.notices.map((n) => <li key={`${n.kind}:${n.sessionId ?? n.gpu}:${n.at}`} className={n.mine ? 'warn-text' : 'muted'}>{n.message}</li>)}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/** The latest notices the hosts' agents sent about this person's sessions (also desktop notifications). */
export function GpuNoticeBanner() {
  const [notices, setNotices] = useState<GpuNotice[]>([]);
  useEvent('gpuNotice', (n) => setNotices((all) => [...all.slice(-4), n]));
  if (notices.length === 0) return null;
  return (
    <div className="banner warn" role="status" aria-label="GPU notices">
      {notices.map((n) => <p key={`${n.target}:${n.kind}:${n.sessionId ?? n.gpu}:${n.at}`}>{n.target}: {n.message}</p>)}
      <button type="button" className="btn small" onClick={() => setNotices([])}>Dismiss</button>
    </div>
  );
}
