import { useState } from 'react';
import type { ClusterSession, SyncProgress } from '../../../../shared/ipc';
import { api } from '../../api';
import { useConfirm } from '../../components/ConfirmDialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ProgressBar } from '../../components/ProgressBar';
import { useAction } from '../../hooks/useCall';
import { useFollow } from '../../hooks/useFollow';
import { newOpId } from '../../lib/opid';
import { syncProgressText } from '../../lib/progress';

/**
 * Sync now on your cluster session's card: the project's notebooks and its folder on the cluster's
 * shared file system, both ways, with progress. A sync that would delete many files stops
 * (SYNC_MASS_DELETE) and asks here before it goes ahead; other failures show their coded error.
 * `dir`: the project folder on this computer (the queue knows only the project's name).
 */
export function ClusterSync({ session: s, dir }: { session: ClusterSession; dir: string | undefined }) {
  const action = useAction();
  const confirm = useConfirm();
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const follow = useFollow({ syncProgress: (p) => setProgress(p) });
  const name = `${s.projectName} on ${s.target}`;

  const sync = async (confirmDeletes: boolean): Promise<void> => {
    if (!dir) return;
    const opId = newOpId('cluster-sync');
    setDone(null);
    setProgress(null);
    follow(opId);
    const result = await action.run('sync', () => api.clusterSessionSync({ opId, dir, target: s.target, confirmDeletes }));
    follow(null);
    setProgress(null);
    if (result) setDone(`Synced: ${result.uploaded} up, ${result.downloaded} down, ${result.deleted} deleted${result.conflicts.length ? `, ${result.conflicts.length} conflict copies` : ''}.`);
  };
  const massDelete = action.error?.code === 'SYNC_MASS_DELETE' ? action.error : null;
  const askAndSync = async () => {
    if (!massDelete) return;
    const yes = await confirm.ask({
      title: `Delete files on ${s.target} and sync?`,
      lost: [massDelete.message, 'Deleted versions are kept for 30 days under Project → Recently removed'],
      confirmLabel: 'Delete them and sync',
    });
    if (yes) await sync(true);
  };

  const text = progress ? syncProgressText(progress) : null;
  return (
    <div className="cluster-sync" aria-label={`Sync of ${name}`}>
      <div className="row">
        <button
          type="button"
          className="btn small"
          onClick={() => void sync(false)}
          disabled={!dir || action.busy !== null}
          aria-label={`Sync now ${name}`}
          title={dir ? `Sync ${dir} with the cluster folder` : 'Open the project on this computer to sync it'}
        >
          {action.busy ? 'Syncing…' : 'Sync now'}
        </button>
        {done && <span role="status" className="muted">{done}</span>}
      </div>
      {action.busy && (
        <>
          <ProgressBar value={text ? text.value : null} label={`Sync progress of ${name}`} />
          <p className="num muted">{text ? `${progress?.phase} · ${text.parts} · ${text.amount}` : 'Comparing the folders…'}</p>
        </>
      )}
      {massDelete && (
        <div role="alert" className="banner warn">
          <p>{massDelete.message}</p>
          <div className="row">
            <button type="button" className="btn small danger" onClick={() => void askAndSync()} disabled={action.busy !== null}>
              Delete them and sync…
            </button>
            <button type="button" className="btn small" onClick={action.clear}>
              Not now
            </button>
          </div>
        </div>
      )}
      {action.error && !massDelete && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {confirm.dialog}
    </div>
  );
}
