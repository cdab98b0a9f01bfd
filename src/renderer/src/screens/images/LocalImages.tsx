import { useState } from 'react';
import { api } from '../../api';
import { useConfirm } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction, useCall } from '../../hooks/useCall';
import { formatBytes, formatDate } from '../../lib/format';
import { localRows } from '../../lib/local-images';

/**
 * Copies of the analysis image on this computer's engine (every image when no project is open),
 * one row per name, with the disk they use. Remove takes away exactly the name on its row: the
 * engine frees the layers only when no other name or container still uses them.
 */
export function LocalImages({ repository }: { repository?: string }) {
  const local = useCall(() => api.imageLocalList(), 'local-images');
  const action = useAction();
  const confirm = useConfirm();
  // Other projects' images are one click away, not in the way: each row has a Remove button.
  const [showAll, setShowAll] = useState(false);
  const all = localRows(local.data ?? []);
  const { rows, totalBytes } = showAll ? all : repository ? localRows(local.data ?? [], repository) : { rows: [], totalBytes: 0 };
  const hidden = all.rows.length - rows.length;

  const remove = async (ref: string) => {
    const row = all.rows.find((r) => r.ref === ref);
    const sharing = all.rows.filter((r) => r.imageId === row?.imageId && r.ref !== ref).length;
    const yes = await confirm.ask({
      title: `Remove ${ref}?`,
      lost: [
        `The name ${ref} on this computer`,
        sharing > 0
          ? `Nothing more: ${sharing} other name(s) keep the image itself`
          : `${formatBytes(row?.sizeBytes ?? 0)} of image layers; any project using them pulls them again`,
      ],
      confirmLabel: 'Remove image',
    });
    if (!yes) return;
    if (await action.run(`remove ${ref}`, () => api.imageRemoveLocal({ ref }))) local.reload();
  };

  return (
    <section className="card" aria-labelledby="local-images">
      <header className="card-head">
        <h2 id="local-images">{repository && !showAll ? 'Copies on this computer' : 'Images on this computer'}</h2>
        <span className="muted num">
          <span className="sr-only">Disk use: </span>
          {local.data ? `${rows.length} ${rows.length === 1 ? 'name' : 'names'} · ${formatBytes(totalBytes)}` : '\u00a0'}
        </span>
      </header>
      {local.error && <ErrorPanel error={local.error} onRetry={local.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {local.data && rows.length === 0 && (
        <p className="muted">{repository ? 'No copies of the analysis image are stored here.' : 'Open a project to see its images.'}</p>
      )}
      {local.data && (hidden > 0 || showAll) && (
        <button type="button" className="btn small" onClick={() => setShowAll(!showAll)} aria-pressed={showAll}>
          {showAll ? 'Show only this project’s images' : `Show all (${hidden} more on this computer)`}
        </button>
      )}
      {confirm.dialog}
      {rows.length > 0 && (
        <DataTable label="Local images" columns={['Image', 'Created', 'Size unpacked']} actions>
          {rows.map((row) => (
            <tr key={row.ref} aria-label={row.ref}>
              <th scope="row" className="mono">
                {row.ref}
              </th>
              <td className="num">{formatDate(row.created)}</td>
              <td className="num">{formatBytes(row.sizeBytes)}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="btn small danger"
                  onClick={() => void remove(row.ref)}
                  disabled={action.busy !== null}
                  aria-label={`Remove ${row.ref}`}
                >
                  {action.busy === `remove ${row.ref}` ? 'Removing…' : 'Remove'}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
