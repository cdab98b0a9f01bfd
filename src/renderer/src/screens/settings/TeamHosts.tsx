import type { TeamHostJoinResult } from '../../../../shared/ipc';
import { api } from '../../api';
import { useApp } from '../../app-context';
import { DataTable } from '../../components/DataTable';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction } from '../../hooks/useCall';
import { useInvalidate, useTeamSettings } from '../../hooks/useShared';
import { queryKeys } from '../../lib/queries';
import { useState } from 'react';

const RESULT: Record<TeamHostJoinResult['status'], string> = {
  added: 'added',
  trusted: 'added, key trusted (listed by the team)',
  'key-not-listed': 'NOT trusted: it shows a key the team file does not list',
  failed: 'failed',
};

/**
 * The team file's hosts with the key fingerprints the lead wrote down, and one button that adds
 * them all, trusting exactly those keys (a host showing any other key stays untrusted).
 */
export function TeamHosts() {
  const { project } = useApp();
  const dir = project?.dir;
  const view = useTeamSettings(dir);
  const invalidate = useInvalidate();
  const action = useAction();
  const [results, setResults] = useState<TeamHostJoinResult[] | null>(null);
  const hosts = view.data?.team?.hosts ?? [];
  if (!view.error && hosts.length === 0) return null;
  const join = async () => {
    const done = await action.run('join', () => api.teamJoinHosts(dir ? { dir } : {}));
    if (done) setResults(done.hosts);
    invalidate(queryKeys.hostList);
  };
  return (
    <section className="card" aria-labelledby="team-hosts">
      <h2 id="team-hosts">Team hosts</h2>
      {view.error && <ErrorPanel error={view.error} />}
      {hosts.length > 0 && (
        <>
          <p className="muted">The team file lists these shared hosts. Joining adds them and trusts only these key fingerprints.</p>
          <DataTable label="Team hosts" columns={['Host', 'Address', 'Key fingerprints', 'Result']}>
            {hosts.map((h) => {
              const r = results?.find((x) => x.id === h.id);
              return (
                <tr key={h.id}>
                  <td>{h.kind === 'slurm' ? `Slurm cluster ${h.id}` : h.id}</td>
                  <td className="mono">{h.address}</td>
                  <td className="mono fingerprint">{h.fingerprints.join(' ')}</td>
                  <td>{r ? `${RESULT[r.status]}${r.message ? ` — ${r.message}` : ''}` : '–'}</td>
                </tr>
              );
            })}
          </DataTable>
          {action.error && <ErrorPanel error={action.error} />}
          <button type="button" className="btn primary" onClick={() => void join()} disabled={action.busy !== null}>
            {action.busy ? 'Joining…' : 'Join the team hosts'}
          </button>
        </>
      )}
    </section>
  );
}
