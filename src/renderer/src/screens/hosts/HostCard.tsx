import type { HostInfo } from '../../../../shared/ipc';
import { HashText } from '../../components/HashText';
import { StatusBadge, type Tone } from '../../components/StatusBadge';
import { formatBytes } from '../../lib/format';
import { ClusterFacts } from './ClusterFacts';

const TONE: Record<HostInfo['status'], Tone> = {
  unknown: 'muted',
  ok: 'ok',
  unreachable: 'bad',
  'key-changed': 'bad',
  'auth-failed': 'bad',
};

interface Props {
  host: HostInfo;
  busy: string | null;
  onTest(): void;
  onRemove(): void;
}

/** One host: reachability, its engine, its GPUs and who holds them. */
export function HostCard({ host: h, busy, onTest, onRemove }: Props) {
  const gpuNames = [...new Set(h.gpus.map((g) => g.name))];
  return (
    <li className="card host-card" aria-label={`Host ${h.id}`}>
      <header className="card-head">
        <div>
          <h2>{h.id}</h2>
          <p className="mono muted">
            {h.user}@{h.hostname}:{h.port}
          </p>
        </div>
        <StatusBadge tone={TONE[h.status]}>{h.status}</StatusBadge>
      </header>
      {h.message && <p className="hint">{h.message}</p>}
      {h.kind === 'slurm' && <p className="muted">Slurm cluster · sessions are jobs · {h.sessions} of yours queued or running</p>}
      {h.kind === 'slurm' && h.cluster && <ClusterFacts hostId={h.id} cluster={h.cluster} />}
      <dl className="facts">
        {h.kind !== 'slurm' && (
          <>
        <dt>Engine</dt>
        <dd>{h.engine ? `${h.engine.engineKind} ${h.engine.version} · ${h.engine.cpus} CPUs · ${formatBytes(h.engine.memoryBytes)}` : '—'}</dd>
        <dt>GPUs</dt>
        <dd>
          {h.gpus.length === 0
            ? 'none found'
            : `${h.gpus.length} × ${gpuNames.join(', ')} · ${h.leases.length} in use`}
        </dd>
        <dt>Sessions</dt>
        <dd>{h.sessions}</dd>
          </>
        )}
        {h.warning && (
          <>
            <dt>Warning</dt>
            <dd className="warn-text">{h.warning}</dd>
          </>
        )}
        {h.fingerprint && (
          <>
            <dt>Host key</dt>
            <dd>
              <HashText value={h.fingerprint} what={`host key fingerprint of ${h.id}`} />
            </dd>
          </>
        )}
      </dl>
      {h.leases.length > 0 && (
        <ul className="lease-list" aria-label={`GPU leases on ${h.id}`}>
          {h.leases.map((l) => (
            <li key={`${l.gpu}:${l.sessionId}`}>
              GPU {l.gpu} · {l.holder} · since {new Date(l.since).toLocaleTimeString()}
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        {/* The busy Test is aria-disabled, not disabled: it keeps focus while it says "Testing…". */}
        <button
          type="button"
          className="btn small"
          onClick={() => {
            if (busy === null) onTest();
          }}
          disabled={busy !== null && busy !== `test ${h.id}`}
          aria-disabled={busy === `test ${h.id}` || undefined}
          aria-label={`Test ${h.id}`}
        >
          {busy === `test ${h.id}` ? 'Testing…' : 'Test'}
        </button>
        <button type="button" className="btn small danger" onClick={onRemove} disabled={busy !== null} aria-label={`Remove ${h.id}`}>
          Remove
        </button>
      </div>
    </li>
  );
}
