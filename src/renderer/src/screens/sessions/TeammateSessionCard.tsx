import type { SessionInfo, SessionState } from '../../../../shared/ipc';
import { teammateSummary } from '../../../../shared/session-summary';
import { StatusBadge, type Tone } from '../../components/StatusBadge';

const TONE: Record<SessionState, Tone> = {
  pulling: 'busy',
  starting: 'busy',
  ready: 'ok',
  stopping: 'busy',
  stopped: 'muted',
  failed: 'bad',
};

/**
 * A teammate's session on a shared host: who, how many GPUs, since when, idle for how long. Read-only:
 * no open, stop, restart, remove or logs (the core answers NOT_OWNER to all of them), and no URL.
 */
export function TeammateSessionCard({ session: s, now }: { session: SessionInfo; now: number }) {
  const whose = s.owner?.name ?? 'someone else';
  const name = `${s.projectName} on ${s.target} (${whose})`;
  return (
    <li className="card session-card teammate" aria-label={name}>
      <header className="session-head">
        <div className="session-title">
          <h2>{s.projectName}</h2>
          <StatusBadge tone={TONE[s.state]}>{s.state}</StatusBadge>
          <span className="mono muted" title={`Container ${s.name} on ${s.target}`}>
            {s.projectDir}
          </span>
        </div>
        <span className="muted" title="Only its owner can open, stop or remove it">
          Read-only
        </span>
      </header>
      <p className="session-message" aria-label={`Owner of ${name}`}>
        {teammateSummary(s, new Date(now))}
      </p>
    </li>
  );
}
