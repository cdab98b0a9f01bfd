import { useState } from 'react';
import type { DriftReport, PackageChange } from '../../../../shared/ipc';
import { api } from '../../api';
import { DataTable } from '../../components/DataTable';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction } from '../../hooks/useCall';
import { useSessionList } from '../../hooks/useShared';

/** Packages installed or changed inside a running session since it started from the lockfile. */
export function DriftPanel({ projectDir }: { projectDir: string }) {
  const sessions = useSessionList();
  const running = (sessions.data ?? []).filter((s) => s.projectDir === projectDir && s.state === 'ready');
  const [report, setReport] = useState<DriftReport | null>(null);
  const action = useAction();

  const check = async (sessionId: string) => {
    const result = await action.run('drift', () => api.projectDrift({ sessionId }));
    if (result) setReport(result);
  };

  const changes = report ? report.added.length + report.removed.length + report.changed.length : 0;
  return (
    <section className="card" aria-labelledby="drift-title">
      <h2 id="drift-title">Drift</h2>
      {sessions.error && <ErrorPanel error={sessions.error} onRetry={sessions.reload} />}
      {!sessions.error && running.length === 0 && <p className="muted">Start a session to compare its packages with the lockfile.</p>}
      <div className="row">
        {running.map((s) => (
          // aria-disabled while checking: the button keeps focus and says what it is doing.
          <button
            key={s.id}
            type="button"
            className="btn"
            onClick={() => {
              if (action.busy === null) void check(s.id);
            }}
            aria-disabled={action.busy !== null}
          >
            {action.busy === 'drift' ? 'Checking…' : `Check drift on ${s.target}`}
          </button>
        ))}
      </div>
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {action.busy === 'drift' && (
        <p className="muted" role="status">
          Checking the session&apos;s packages against the lockfile…
        </p>
      )}
      {report && changes === 0 && <p role="status">No drift: the session matches the lockfile.</p>}
      {report && changes > 0 && (
        <DataTable label="Package differences" columns={['Package', 'Change', 'Lockfile', 'Session']}>
          {rows('added', report.added)}
          {rows('removed', report.removed)}
          {rows('changed', report.changed)}
        </DataTable>
      )}
    </section>
  );
}

function rows(kind: string, list: readonly PackageChange[]) {
  return list.map((p) => (
    <tr key={`${kind}:${p.name}`}>
      <th scope="row" className="mono">{p.name}</th>
      <td>{kind}</td>
      <td className="mono">{p.from ?? '—'}</td>
      <td className="mono">{p.to ?? '—'}</td>
    </tr>
  ));
}
