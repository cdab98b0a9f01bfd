import type { SessionInfo, SessionState } from '../../../../shared/ipc';
import { StatsPlot, type StatsSample } from '../../components/StatsPlot';
import { StatusBadge, type Tone } from '../../components/StatusBadge';
import { formatDuration } from '../../lib/format';

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
}

export function SessionRow({ session: s, now, samples, busy, ...on }: Props) {
  const name = `${s.projectName} on ${s.target}`;
  const live = s.state === 'ready' || s.state === 'starting';
  const uptime = s.startedAt && live ? formatDuration(now - Date.parse(s.startedAt)) : '—';
  const idle = s.idleStopAt && live ? formatDuration(Date.parse(s.idleStopAt) - now) : s.idleMinutes > 0 ? '—' : 'off';
  return (
    <tr aria-label={name}>
      <th scope="row">
        <span className="cell-main">{s.projectName}</span>
        <span className="cell-sub mono">{s.name}</span>
      </th>
      <td>
        <StatusBadge tone={TONE[s.state]}>{s.state}</StatusBadge>
        {s.message && (
          <span className="cell-sub">
            {s.code && <span className="error-code">{s.code} </span>}
            {s.message}
          </span>
        )}
      </td>
      <td>{s.target}</td>
      <td>
        <span className="cell-main">{s.version ?? 'unversioned'}</span>
      </td>
      <td className="num">{s.gpus.length > 0 ? s.gpus.join(', ') : 'none'}</td>
      <td className="num fixed">{uptime}</td>
      <td className="num fixed">{idle}</td>
      <td>{s.state === 'ready' ? <StatsPlot samples={samples} label={`Usage of ${name}`} /> : <span className="muted">—</span>}</td>
      <td className="row-actions">
        <button type="button" className="btn small primary" onClick={on.onOpen} disabled={busy || s.state !== 'ready'} aria-label={`Open ${name}`}>
          Open
        </button>
        <button type="button" className="btn small" onClick={on.onLogs} aria-label={`Logs of ${name}`}>
          Logs
        </button>
        <button type="button" className="btn small" onClick={on.onRestart} disabled={busy} aria-label={`Restart ${name}`}>
          Restart
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
      </td>
    </tr>
  );
}
