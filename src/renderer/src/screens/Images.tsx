import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { useApp } from '../app-context';
import { DataTable } from '../components/DataTable';
import { ErrorPanel } from '../components/ErrorPanel';
import { HashText } from '../components/HashText';
import { Screen } from '../components/Screen';
import { StatusBadge } from '../components/StatusBadge';
import { useCall } from '../hooks/useCall';
import { formatBytes, formatDate, shortDigest } from '../lib/format';
import { LocalImages } from './images/LocalImages';
import { PinDialog, type PinAsk } from './images/PinDialog';
import { NeedsProject } from './NeedsProject';

/** The project image's published versions (pin, upgrade) and the copies on this computer. */
export function ImagesScreen() {
  const { project, openProject } = useApp();
  const versions = useCall(project ? () => api.imageVersions({ dir: project.dir }) : null, `versions:${project?.dir}`);

  // Pin asks first (PinDialog shows the package changes); the answer lands in a status that takes focus.
  const [asking, setAsking] = useState<PinAsk | null>(null);
  const [pinnedNote, setPinnedNote] = useState<string | null>(null);
  const note = useRef<HTMLParagraphElement>(null);
  const pin = (version?: string, name?: string) => {
    setPinnedNote(null);
    setAsking({ version, name: name ?? version ?? 'the newest version' });
  };
  const pinned = async (result: { version?: string; lockfile?: { message: string } }) => {
    if (!project) return;
    setAsking(null);
    setPinnedNote(`Pinned ${result.version ?? asking?.name ?? ''}.${result.lockfile ? ` ${result.lockfile.message}` : ''}`);
    await openProject(project.dir);
    versions.reload();
  };
  useEffect(() => {
    if (pinnedNote) note.current?.focus();
  }, [pinnedNote]);

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
            <button type="button" className="btn primary" onClick={() => pin(newest?.tag, newest?.version ?? newest?.tag)} disabled={!newest}>
              Upgrade to newest
            </button>
          </>
        )
      }
    >
      {!project && <NeedsProject what="image versions" />}
      {versions.error && <ErrorPanel error={versions.error} onRetry={versions.reload} />}
      {pinnedNote && (
        <p ref={note} className="banner info" role="status" aria-label="Pin result" tabIndex={-1}>
          {pinnedNote}
        </p>
      )}
      {project && (
        <PinDialog
          dir={project.dir}
          ask={asking}
          current={project.pinned?.version}
          onCancel={() => setAsking(null)}
          onPinned={(result) => void pinned(result)}
        />
      )}
      {list?.tagMoved && (
        <p className="banner warn" role="status">
          Tag {list.tagMoved.tag} now points to {shortDigest(list.tagMoved.currentDigest)}; the project stays on{' '}
          {shortDigest(list.tagMoved.pinnedDigest)} until you pin again.
        </p>
      )}
      {list && (
        <div className="table-wrap">
          <DataTable label="Image versions" columns={['Version', 'Created', 'Digest', 'Download (packed)', 'On this computer']} actions>
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
                  <td>
                    <HashText value={v.digest} shown={v.digest.replace(/^sha256:/, '')} what={`digest of ${name}`} />
                  </td>
                  <td className="num">{v.sizeBytes ? formatBytes(v.sizeBytes) : '—'}</td>
                  <td>{v.local ? 'yes' : 'no'}</td>
                  <td className="row-actions">
                    {!v.pinned && (
                      <button
                        type="button"
                        className={`btn small ${v.newer ? 'primary' : ''}`}
                        onClick={() => pin(v.tag, name)}
                        aria-label={`Pin ${name}`}
                      >
                        Pin
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </div>
      )}
      {list && (
        <p className="hint">
          Download is what the registry sends, packed; unpacked on this computer an image takes more space (its size under Copies on this computer).
        </p>
      )}
      <LocalImages repository={list?.repository ?? project?.pinned?.repository} />
    </Screen>
  );
}
