import type { ImagesInvoke } from '../../../../shared/contract/images';
import type { PackageChange } from '../../../../shared/ipc';
import { api } from '../../api';
import { DataTable } from '../../components/DataTable';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction, useCall } from '../../hooks/useCall';

type PinResult = ReturnType<ImagesInvoke['imagePin']>;

export interface PinAsk {
  /** The tag to pin; undefined: the newest. */
  version?: string;
  /** How the version is named to the user. */
  name: string;
}

interface Props {
  dir: string;
  ask: PinAsk | null;
  /** The version pinned now, for "from … to …". */
  current?: string;
  onCancel(): void;
  onPinned(result: PinResult): void;
}

/**
 * Pinning changes what everyone on the team runs, so it asks first and shows what changes: the
 * packages of the new pin's lockfile against the project's current one (nothing is written until
 * the user confirms).
 */
export function PinDialog({ dir, ask, current, onCancel, onPinned }: Props) {
  return (
    <Dialog title={ask ? `Pin ${ask.name}?` : ''} open={ask !== null} onClose={onCancel}>
      {ask && <PinQuestion dir={dir} ask={ask} current={current} onCancel={onCancel} onPinned={onPinned} />}
    </Dialog>
  );
}

function PinQuestion({ dir, ask, current, onCancel, onPinned }: Props & { ask: PinAsk }) {
  const preview = useCall(() => api.imagePinPreview({ dir, version: ask.version }), `pin-preview:${dir}:${ask.version ?? ''}`);
  const action = useAction();
  const lockfile = preview.data?.lockfile;
  const changes = lockfile ? lockfile.added.length + lockfile.removed.length + lockfile.changed.length : 0;

  const confirm = async () => {
    if (action.busy !== null || !preview.data) return;
    const done = await action.run('pin', () => api.imagePin({ dir, version: ask.version }));
    if (done) onPinned(done);
  };

  return (
    <>
      <p>
        Everyone who opens this project gets {ask.name}
        {current ? ` instead of ${current}` : ''}. Running sessions keep their version until restarted.
      </p>
      {preview.loading && (
        <p className="muted" role="status">
          Reading the lockfile of {ask.name}…
        </p>
      )}
      {preview.error && <ErrorPanel error={preview.error} onRetry={preview.reload} />}
      {lockfile && (lockfile.state === 'updated' || lockfile.state === 'written') && changes > 0 && (
        // Scrolls when the list is long, so it takes focus (arrow keys scroll it) and has a name.
        <div className="table-wrap pin-changes" tabIndex={0} role="region" aria-label={`Package changes with ${ask.name}`}>
          <DataTable label="Package changes" columns={['Package', 'Change', 'Now', `With ${ask.name}`]}>
            {rows('added', lockfile.added)}
            {rows('removed', lockfile.removed)}
            {rows('changed', lockfile.changed)}
          </DataTable>
        </div>
      )}
      {lockfile && (lockfile.state === 'unchanged' || (lockfile.state === 'updated' && changes === 0)) && (
        <p role="status">The packages stay the same: {ask.name} has the same lockfile as the project.</p>
      )}
      {lockfile && (lockfile.state === 'none' || lockfile.state === 'failed') && (
        <p className="muted" role="status">
          {lockfile.message}
        </p>
      )}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className="btn primary"
          onClick={() => void confirm()}
          aria-disabled={!preview.data || action.busy !== null || undefined}
        >
          {action.busy === 'pin' ? 'Pinning…' : `Pin ${ask.name}`}
        </button>
      </div>
    </>
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
