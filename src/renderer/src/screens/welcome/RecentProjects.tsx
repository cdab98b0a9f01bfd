import type { RecentProject } from '../../../../shared/ipc';
import { ErrorPanel } from '../../components/ErrorPanel';
import type { CallState } from '../../hooks/useCall';
import { formatDate } from '../../lib/format';

/**
 * The projects opened before, one click to open again. Shown beside "Open a project" and, once a
 * project is open, under it (without the open one), so switching never needs the folder dialog.
 */
export function RecentProjects({ recent, exclude, onOpen }: { recent: CallState<RecentProject[]>; exclude?: string; onOpen(dir: string): void }) {
  const list = (recent.data ?? []).filter((r) => r.dir !== exclude);
  return (
    <>
      <h2>{exclude ? 'Other recent projects' : 'Recent projects'}</h2>
      {recent.error && <ErrorPanel error={recent.error} onRetry={recent.reload} />}
      {recent.data && list.length === 0 && <p className="muted">{exclude ? 'No other projects opened yet.' : 'Projects you open appear here.'}</p>}
      <ul className="recent-list" aria-label={exclude ? 'Other recent projects' : 'Recent projects'}>
        {list.map((r) => (
          <li key={r.dir}>
            <button type="button" className="recent-item" onClick={() => onOpen(r.dir)} aria-label={`Open ${r.name}`}>
              <span className="recent-name">{r.name}</span>
              <span className="recent-dir">{r.dir}</span>
              <span className="recent-date num">{formatDate(r.openedAt)}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
