import { api } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction, useCall } from '../../hooks/useCall';
import { formatBytes, formatDate, shortDigest } from '../../lib/format';

/** Analysis images on this computer's engine, with their disk use; removing one frees the space. */
export function LocalImages() {
  const local = useCall(() => api.imageLocalList(), 'local-images');
  const action = useAction();
  const total = (local.data ?? []).reduce((sum, i) => sum + i.sizeBytes, 0);

  const remove = async (ref: string) => {
    if (await action.run(`remove ${ref}`, () => api.imageRemoveLocal({ ref }))) local.reload();
  };

  return (
    <section className="card" aria-labelledby="local-images">
      <header className="card-head">
        <h2 id="local-images">On this computer</h2>
        <span className="muted num" aria-label="Disk use">
          {local.data ? `${local.data.length} images · ${formatBytes(total)}` : '\u00a0'}
        </span>
      </header>
      {local.error && <ErrorPanel error={local.error} onRetry={local.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {local.data && local.data.length === 0 && <p className="muted">No copies of the analysis image are stored here.</p>}
      {local.data && local.data.length > 0 && (
        <table className="table" aria-label="Local images">
          <thead>
            <tr>
              <th scope="col">Image</th>
              <th scope="col">Created</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {local.data.map((img) => {
              const name = img.repoTags[0] ?? img.repoDigests[0] ?? shortDigest(img.id);
              return (
                <tr key={img.id}>
                  <th scope="row" className="mono">{name}</th>
                  <td className="num">{formatDate(img.created)}</td>
                  <td className="num">{formatBytes(img.sizeBytes)}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="btn small danger"
                      onClick={() => void remove(img.id)}
                      disabled={action.busy !== null}
                      aria-label={`Remove ${name}`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
