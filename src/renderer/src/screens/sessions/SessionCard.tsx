import type { ErrorInfo } from '../../../../shared/errors';
import type { CloudVm, SessionInfo, SessionState } from '../../../../shared/ipc';
import { StatsPlot, type StatsSample } from '../../components/StatsPlot';
import { StatusBadge, type Tone } from '../../components/StatusBadge';
import { formatDuration, syncErrorText } from '../../lib/format';
import { versionLabel } from '../../lib/pin-drift';
import { SessionCost } from './SessionCost';
import { OpenInVsCode } from './OpenInVsCode';

const TONE: Record<SessionState, Tone> = {
  pulling: 'busy',
  starting: 'busy',
  ready: 'ok',
  stopping: 'busy',
  stopped: 'muted',
  failed: 'bad',
};

interface Props {
  session: SessionInfo;
  now: number;
  samples: readonly StatsSample[];
  busy: boolean;
  onOpen(): void;
  onStop(): void;
  onRestart(): void;
  onRemove(): void;
  onLogs(): void;
  onMove(): void;
  /** Set when the session runs another image than the project's pin: the pinned version, to restart on. */
  pinnedVersion?: string;
  onRestartOnPin?(): void;
  /** Set when the session runs on a cloud VM: the VM (price, running since), or why it could not be read. */
  cloud?: { vm?: CloudVm; error?: ErrorInfo | null };
}

/** One session: what it runs and where, how long it has run and will keep running, its load, and actions. */
export function SessionCard({ session: s, now, samples, busy, pinnedVersion, cloud, ...on }: Props) {
  const name = `${s.projectName} on ${s.target}`;
  const live = s.state === 'ready' || s.state === 'starting';
  const uptime = s.startedAt && live ? formatDuration(now - Date.parse(s.startedAt)) : '—';
  const idle = s.idleMinutes === 0 ? 'off' : s.idleStopAt && live ? `in ${formatDuration(Date.parse(s.idleStopAt) - now)}` : `after ${s.idleMinutes} min idle`;
  return (
    <li className="card session-card" aria-label={name}>
      <header className="session-head">
        <div className="session-title">
          <h2>{s.projectName}</h2>
          <StatusBadge tone={TONE[s.state]}>{s.state}</StatusBadge>
          <span className="mono muted" title={`Container ${s.name}`}>
            {s.projectDir}
          </span>
        </div>
        <div className="row">
          <button type="button" className="btn small primary" onClick={on.onOpen} disabled={busy || s.state !== 'ready'} aria-label={`Open ${name}`}>
            Open
          </button>
          <OpenInVsCode session={s} label={name} />
          <button type="button" className="btn small" onClick={on.onLogs} aria-label={`Logs of ${name}`}>
            Logs
          </button>
          {/* A stopped session is started again, not "restarted". */}
          <button type="button" className="btn small" onClick={on.onRestart} disabled={busy} aria-label={`${s.state === 'stopped' ? 'Start' : 'Restart'} ${name}`}>
            {s.state === 'stopped' ? 'Start' : 'Restart'}
          </button>
          <button type="button" className="btn small" onClick={on.onMove} disabled={busy} aria-label={`Move ${name}`}>
            Move…
          </button>
          {s.state === 'stopped' || s.state === 'failed' ? (
            <button type="button" className="btn small danger" onClick={on.onRemove} disabled={busy} aria-label={`Remove ${name}`}>
              Remove
            </button>
          ) : (
            <button type="button" className="btn small danger" onClick={on.onStop} disabled={busy || s.state === 'stopping'} aria-label={`Stop ${name}`}>
              Stop
            </button>
          )}
        </div>
      </header>
      {s.message && (
        <p className={s.state === 'failed' ? 'session-message bad' : 'session-message'}>
          {s.code && <span className="error-code">{s.code} </span>}
          {s.message}
        </p>
      )}
      {pinnedVersion && (
        <div className="banner warn" role="status" aria-label={`Version of ${name}`}>
          <p>
            Runs {versionLabel(s.version, s.digest)}; the project now pins {pinnedVersion}. Restart to apply the pin: kernels end, notebooks stay.
          </p>
          {on.onRestartOnPin && (
            <button type="button" className="btn small primary" onClick={on.onRestartOnPin} disabled={busy}>
              Restart on {pinnedVersion}
            </button>
          )}
        </div>
      )}
      {s.syncError && (
        <p className="session-message bad" role="alert" aria-label={`Sync of ${name}`}>
          {syncErrorText(s.target, s.syncError)}
        </p>
      )}
      <dl className="session-facts">
        <div>
          <dt>Target</dt>
          <dd>{s.target}</dd>
        </div>
        <div>
          <dt>Image</dt>
          <dd>{s.version ?? 'unversioned'}</dd>
        </div>
        <div>
          <dt>GPUs</dt>
          <dd className="num">{s.gpus.length > 0 ? s.gpus.join(', ') : 'none'}</dd>
        </div>
        <div>
          <dt>Uptime</dt>
          <dd className="num">{uptime}</dd>
        </div>
        <div>
          <dt>Idle stop</dt>
          <dd className="num">{idle}</dd>
        </div>
        {cloud && <SessionCost name={name} vm={cloud.vm} error={cloud.error} now={now} />}
        <div className="session-usage">
          <dt>CPU / memory</dt>
          <dd>{s.state === 'ready' ? <StatsPlot samples={samples} label={`Usage of ${name}`} /> : '—'}</dd>
        </div>
      </dl>
    </li>
  );
}
