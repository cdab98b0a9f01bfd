import { useState } from 'react';
import type { SessionInfo } from '../../../../shared/ipc';
import { api } from '../../api';
import { useApp } from '../../app-context';
import { useCall } from '../../hooks/useCall';
import { useEvent } from '../../hooks/useEvent';

/**
 * The end of the start flow: where Jupyter runs, and a way back into it. The flow remembers the
 * session it started; when that session has since moved or stopped (from the Sessions screen), its
 * URL is not shown as if it still answered: the card says so and leads to the Sessions screen.
 */
export function OpenedSession({ session, onOpenAgain }: { session: SessionInfo; onOpenAgain(): void }) {
  const { navigate } = useApp();
  const list = useCall(() => api.sessionList(), `opened:${session.id}`);
  const [changed, setChanged] = useState<SessionInfo | null>(null);
  useEvent('sessionState', (info) => {
    if (info.id === session.id) setChanged(info);
  });
  const now = changed ?? list.data?.find((s) => s.id === session.id) ?? (list.data ? null : session);
  if (!now || now.state !== 'ready' || !now.url) {
    return (
      <div className="opened" role="status">
        <p>This session no longer runs {now ? `(${now.state})` : '(it was moved or removed)'}: see where it runs now on the Sessions screen.</p>
        <button type="button" className="btn" onClick={() => navigate('sessions')}>
          Go to Sessions
        </button>
      </div>
    );
  }
  return (
    <div className="opened">
      <p>
        Jupyter is running at{' '}
        <span className="mono" data-testid="session-url">
          {now.url.replace(/token=[^&]+/, 'token=…')}
        </span>
      </p>
      <button type="button" className="btn" onClick={onOpenAgain}>
        Open notebook again
      </button>
    </div>
  );
}
