import type { ClusterSession } from '../../../../shared/ipc';
import { StatusBadge, type Tone } from '../../components/StatusBadge';
import { formatDuration } from '../../lib/format';
import { pendingWords, timeLeft } from '../../lib/cluster-words';
import { ClusterSync } from './ClusterSync';

const TONE: Record<ClusterSession['state'], Tone> = {
  pending: 'warn',
  starting: 'busy',
  ready: 'ok',
  ended: 'muted',
  failed: 'bad',
};

interface Props {
  session: ClusterSession;
  now: number;
  busy: boolean;
  onOpen(): void;
  onCancel(): void;
  onExtend(): void;
  /** The project folder here, for Sync now (undefined: the project is not open or recent here). */
  projectDir?: string;
}

/**
 * One session on a Slurm cluster: the job's state as Slurm has it; while pending, why and where in
 * line; once it runs, its node and cards, the time its --time leaves, Open and Extend. Someone
 * else's job is shown without controls.
 */
export function ClusterSessionCard({ session: s, now, busy, onOpen, onCancel, onExtend, projectDir }: Props) {
  const name = `${s.projectName} on ${s.target}`;
  const live = s.state === 'starting' || s.state === 'ready';
  const over = s.state === 'ended' || s.state === 'failed';
  return (
    <li className={`card session-card${s.mine ? '' : ' teammate'}`} aria-label={s.mine ? name : `${name} (${s.owner?.name ?? 'someone else'})`}>
      <header className="session-head">
        <div className="session-title">
          <h2>{s.projectName}</h2>
          <StatusBadge tone={TONE[s.state]} label={`${s.state} (Slurm: ${s.jobState})`}>{s.state}</StatusBadge>
          <span className="mono muted">job {s.jobId}</span>
        </div>
        {s.mine ? (
          <div className="row">
            <button type="button" className="btn small primary" onClick={onOpen} disabled={busy || s.state !== 'ready'} aria-label={`Open ${name}`}>
              Open
            </button>
            <button type="button" className="btn small" onClick={onExtend} disabled={busy || !live || !s.endsAt} aria-label={`Extend ${name}`}>
              Extend 1 h
            </button>
            <button type="button" className="btn small danger" onClick={onCancel} disabled={busy || over} aria-label={`Cancel ${name}`}>
              Cancel
            </button>
          </div>
        ) : (
          <span className="muted" title="Only its owner can open or cancel it">
            Read-only
          </span>
        )}
      </header>
      {s.state === 'pending' && (
        <p className="session-message" aria-label={`Queue of ${name}`}>
          {/* The core words the reason for the person asking; a teammate's quota is theirs. */}
          {s.mine ? pendingWords(s) : pendingWords(s).replace(/\byour\b/g, s.owner ? `${s.owner.name}'s` : 'their')} <span className="muted mono">({s.reasonCode})</span>
        </p>
      )}
      {s.state === 'starting' && <p className="session-message">Slurm runs it on {s.nodes}: starting the container and Jupyter…</p>}
      {over && s.message && <p className={s.state === 'failed' ? 'session-message bad' : 'session-message'}>{s.message}</p>}
      <dl className="session-facts">
        <div>
          <dt>Cluster</dt>
          <dd>{s.target}</dd>
        </div>
        <div>
          <dt>Partition</dt>
          <dd>{s.partition || '—'}</dd>
        </div>
        <div>
          <dt>GPUs</dt>
          <dd className="num">{s.cards.length > 0 ? s.cards.join(', ') : s.gpusRequested > 0 ? `${s.gpusRequested} asked` : 'none'}</dd>
        </div>
        <div>
          <dt>Running for</dt>
          <dd className="num">{live && s.startedAt ? formatDuration(now - Date.parse(s.startedAt)) : '—'}</dd>
        </div>
        <div>
          <dt>Time limit</dt>
          <dd className="num" aria-label={`Time left of ${name}`}>{live ? timeLeft(s.endsAt, now) : '—'}</dd>
        </div>
        {!s.mine && (
          <div>
            <dt>Owner</dt>
            <dd>{s.owner?.name ?? 'someone else'}</dd>
          </div>
        )}
      </dl>
      {s.mine && <ClusterSync session={s} dir={projectDir} />}
    </li>
  );
}
