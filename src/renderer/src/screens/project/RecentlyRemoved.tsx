import type { SessionInfo, TrashEntry } from '../../../../shared/ipc';
import { api } from '../../api';
import { useApp } from '../../app-context';
import { DataTable } from '../../components/DataTable';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction, useCall } from '../../hooks/useCall';
import { useSessionList } from '../../hooks/useShared';
import { formatBytes } from '../../lib/format';
import { newOpId } from '../../lib/opid';

/**
 * Every notebook version a sync deleted or overwrote in the last 30 days, on this computer and in
 * the volume of the host where the project's session runs, each back with one click (into the
 * notebooks folder here; the next sync carries it to the host). A sync that stopped because it
 * would delete many files asks here before it goes ahead.
 */
export function RecentlyRemoved({ projectDir }: { projectDir: string }) {
  const sessions = useSessionList();
  const remote = (sessions.data ?? []).find((s) => s.projectDir === projectDir && s.target !== 'local' && (s.state === 'ready' || s.state === 'stopped'));
  // No container session on a host: the project's notebooks may live in a Slurm cluster's folder.
  const { project } = useApp();
  const cluster = useCall(
    !sessions.data || remote ? null : () => clusterOfProject(projectDir, project?.dir === projectDir ? project.name : undefined),
    // The key changes once the session list is in (the call runs only then, and only with no host session).
    `trash-cluster:${projectDir}:${!sessions.data ? 'waiting' : remote ? 'host' : 'none'}`,
  );
  const target = !sessions.data ? null : remote ? remote.target : cluster.data === undefined ? null : cluster.data;
  const list = useCall(target === null ? null : () => api.syncTrashList({ projectDir, target: target || undefined }), `trash:${projectDir}:${target}`);
  const action = useAction();
  const massDelete = (sessions.data ?? []).find((s) => s.projectDir === projectDir && s.syncError?.code === 'SYNC_MASS_DELETE');

  const restore = async (entry: TrashEntry) => {
    const done = await action.run(`restore:${entry.where}:${entry.batch}:${entry.path}`, () => api.syncTrashRestore({ projectDir, entry }));
    if (done) list.reload();
  };
  const confirmDeletes = async (session: SessionInfo) => {
    const done = await action.run('confirm', () => api.sessionSync({ opId: newOpId('sync'), sessionId: session.id, confirmDeletes: true }));
    if (done) {
      sessions.reload();
      list.reload();
    }
  };

  const reloadAll = () => { sessions.reload(); cluster.reload(); list.reload(); };
  const entries = list.data ?? [];
  return (
    <section className="card" aria-labelledby="recently-removed-title">
      <div className="row">
        <h2 id="recently-removed-title">Recently removed</h2>
        <button type="button" className="btn" onClick={reloadAll} disabled={list.loading}>
          Refresh
        </button>
      </div>
      <p className="muted">Notebook versions a sync deleted or replaced are kept for 30 days.</p>
      {massDelete?.syncError && (
        <div role="alert" className="banner warn">
          <p>{massDelete.syncError.message}</p>
          <button type="button" className="btn danger" onClick={() => void confirmDeletes(massDelete)} disabled={action.busy !== null}>
            Delete them and sync
          </button>
        </div>
      )}
      {(sessions.error ?? cluster.error ?? list.error) && <ErrorPanel error={(sessions.error ?? cluster.error ?? list.error)!} onRetry={reloadAll} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {list.loading && !list.data && <p className="muted">Looking for removed versions…</p>}
      {list.data && entries.length === 0 && <p role="status">Nothing was removed by a sync in the last 30 days.</p>}
      {entries.length > 0 && (
        <DataTable label="Recently removed notebooks" columns={['Notebook', 'What happened', 'Kept on', 'When', 'Size']} actions>
          {entries.map((e) => (
            <tr key={`${e.where}:${e.batch}:${e.kind}:${e.path}`}>
              <th scope="row" className="mono">{e.path}</th>
              <td>{e.kind === 'deleted' ? 'deleted' : 'replaced by a newer version'}</td>
              <td>{e.where === 'local' ? 'this computer' : e.where}</td>
              <td>{new Date(e.removedAt).toLocaleString()}</td>
              <td>{formatBytes(e.size)}</td>
              <td>
                <button type="button" className="btn" aria-label={`Restore ${e.path}`} onClick={() => void restore(e)} disabled={action.busy !== null}>
                  Restore
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/**
 * The cluster whose folder holds the project's notebooks: where your session of it is queued or
 * runs (the queue knows the project's name), else the default target when that is a cluster; '' for none.
 */
async function clusterOfProject(projectDir: string, projectName: string | undefined): Promise<string> {
  if (projectName) {
    const mine = (await api.clusterSessionList({})).find((s) => s.mine && s.projectName === projectName);
    if (mine) return mine.target;
  }
  return (await api.clusterDefaultTarget({ dir: projectDir })) ?? '';
}
