import { api } from '../api';
import { useApp } from '../app-context';
import { DataTable } from '../components/DataTable';
import { ErrorPanel } from '../components/ErrorPanel';
import { Screen } from '../components/Screen';
import { StatusBadge } from '../components/StatusBadge';
import { useAction, useCall } from '../hooks/useCall';
import { formatBytes, formatDate, shortDigest } from '../lib/format';
import { LocalImages } from './images/LocalImages';
import { NeedsProject } from './NeedsProject';

/** The project image's published versions (pin, upgrade) and the copies on this computer. */
export function ImagesScreen() {
  const { project, openProject } = useApp();
  const versions = useCall(project ? () => api.imageVersions({ dir: project.dir }) : null, `versions:${project?.dir}`);
  const action = useAction();

  const pin = async (version?: string) => {
    if (!project) return;
    const done = await action.run(`pin ${version ?? 'newest'}`, () => api.imagePin({ dir: project.dir, version }));
    if (done) {
      await openProject(project.dir);
      versions.reload();
    }
  };

  const list = versions.data;
  const newest = list?.versions.find((v) => v.newer);
  return (
    <Screen
      title="Images"
      subtitle={list ? <span className="mono">{list.repository}</span> : 'Versions of the team’s analysis image'}
      actions={
        project && (
          <>
            <button type="button" className="btn" onClick={versions.reload} disabled={versions.loading}>
              Refresh
            </button>
            <button type="button" className="btn primary" onClick={() => void pin()} disabled={!newest || action.busy !== null}>
              Upgrade to newest
            </button>
          </>
        )
      }
    >
      {!project && <NeedsProject what="image versions" />}
      {versions.error && <ErrorPanel error={versions.error} onRetry={versions.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {list?.tagMoved && (
        <p className="banner warn" role="status">
          Tag {list.tagMoved.tag} now points to {shortDigest(list.tagMoved.currentDigest)}; the project stays on{' '}
          {shortDigest(list.tagMoved.pinnedDigest)} until you pin again.
        </p>
      )}
      {list && (
        <div className="table-wrap">
          <DataTable label="Image versions" columns={['Version', 'Created', 'Digest', 'Download', 'On this computer']} actions>
            {list.versions.map((v) => {
              const name = v.version ?? v.tag;
              return (
                <tr key={`${v.tag}@${v.digest}`} aria-label={`Version ${name}`} className={v.newer ? 'row-newer' : undefined}>
                  <th scope="row">
                    <span className="cell-main">{name}</span>
                    {v.pinned && <StatusBadge tone="info">pinned</StatusBadge>}
                    {v.newer && <StatusBadge tone="ok">newer</StatusBadge>}
                  </th>
                  <td className="num">{formatDate(v.created)}</td>
                  <td className="mono" title={v.digest}>{shortDigest(v.digest)}</td>
                  <td className="num">{v.sizeBytes ? formatBytes(v.sizeBytes) : '—'}</td>
                  <td>{v.local ? 'yes' : 'no'}</td>
                  <td className="row-actions">
                    {!v.pinned && (
                      <button
                        type="button"
                        className={`btn small ${v.newer ? 'primary' : ''}`}
                        onClick={() => void pin(v.tag)}
                        disabled={action.busy !== null}
                        aria-label={`Pin ${name}`}
                      >
                        {action.busy === `pin ${v.tag}` ? 'Pinning…' : 'Pin'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </div>
      )}
      <LocalImages repository={list?.repository ?? project?.pinned?.repository} />
    </Screen>
  );
}
