import type { SessionInfo } from '../../../../shared/ipc';
import { api } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction } from '../../hooks/useCall';

/**
 * Attaches VS Code to the session's container (Dev Containers; over Remote-SSH on a host). When it
 * cannot (no `code` command, the session stopped), the reason and its fix show in a dialog.
 */
export function OpenInVsCode({ session, label }: { session: SessionInfo; label: string }) {
  const action = useAction();
  return (
    <>
      <button
        type="button"
        className="btn small"
        onClick={() => void action.run('code', () => api.sessionOpenCode({ id: session.id }))}
        disabled={action.busy !== null || session.state !== 'ready' || !session.mine}
        aria-label={`Open ${label} in VS Code`}
      >
        VS Code
      </button>
      <Dialog title="VS Code could not be opened" open={action.error !== null} onClose={action.clear}>
        {action.error && <ErrorPanel error={action.error} />}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={action.clear} autoFocus>
            Close
          </button>
        </div>
      </Dialog>
    </>
  );
}
