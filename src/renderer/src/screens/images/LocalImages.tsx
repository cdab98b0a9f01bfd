import { api } from '../../api';
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
  const { rows, totalBytes } = localRows(local.data ?? [], repository);

  const remove = async (ref: string) => {
    if (await action.run(`remove ${ref}`, () => api.imageRemoveLocal({ ref }))) local.reload();
  };

  return (
    <section className="card" aria-labelledby="local-images">
      <header className="card-head">
        <h2 id="local-images">{repository ? 'Copies on this computer' : 'Images on this computer'}</h2>
        <span className="muted num" aria-label="Disk use">
          {local.data ? `${rows.length} ${rows.length === 1 ? 'name' : 'names'} · ${formatBytes(totalBytes)}` : '\u00a0'}
        </span>
      </header>
      {local.error && <ErrorPanel error={local.error} onRetry={local.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {local.data && rows.length === 0 && <p className="muted">No copies of the analysis image are stored here.</p>}
      {rows.length > 0 && (
        <DataTable label="Local images" columns={['Image', 'Created', 'Size']} actions>
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
