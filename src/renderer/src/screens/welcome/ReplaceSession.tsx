import { api } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction, useCall } from '../../hooks/useCall';
import { liveSessionOf, versionLabel } from '../../lib/pin-drift';
import type { ProjectInfo } from '../../../../shared/ipc';

interface Props {
  project: ProjectInfo;
  /** Starts the flow again once the old session is stopped. */
  onStopped(): void;
}

/**
 * Start found this project's session already running another version (SESSION_EXISTS after a pin):
 * the way out is a button that stops the old session and starts the pinned version. Versions are
 * named as versions; the digests stay in the copied details.
 */
export function ReplaceSession({ project, onStopped }: Props) {
  const sessions = useCall(() => api.sessionList(), `replace:${project.dir}`);
  const stop = useAction();
  const old = liveSessionOf(sessions.data ?? [], project.dir);
  const pinned = project.pinned ? versionLabel(project.pinned.version, project.pinned.digest) : 'the pinned version';
  const running = old ? versionLabel(old.version, old.digest) : 'another version';

  const replace = async () => {
    if (!old) return onStopped();
    if (await stop.run('stop old', () => api.sessionStop({ id: old.id }))) onStopped();
  };

  return (
    <>
      <ErrorPanel
        reveal
        error={{
          code: 'SESSION_EXISTS',
          message: `${project.name} already runs version ${running} on this computer; the project now pins ${pinned}.`,
          hint: 'Stopping the old session ends its kernels; the notebooks stay in the project folder.',
        }}
        retryLabel={stop.busy ? 'Stopping the old session…' : `Stop the old session and start ${pinned}`}
        onRetry={() => void replace()}
      />
      {sessions.error && <ErrorPanel error={sessions.error} onRetry={sessions.reload} />}
      {stop.error && <ErrorPanel error={stop.error} onDismiss={stop.clear} />}
    </>
  );
}
