import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { SessionInfo } from '../../../../shared/ipc';
import { api, errorInfo } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { newOpId } from '../../lib/opid';
import { cancelOperation, follow } from '../../lib/operation';

const MAX_LINES = 2000;

/** A session's log, following new lines until closed; the follow operation is cancelled on close. */
export function LogsPanel({ session, onClose }: { session: SessionInfo; onClose(): void }) {
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [following, setFollowing] = useState(true);
  const box = useRef<HTMLPreElement>(null);

  useEffect(() => {
    const opId = newOpId('logs');
    let open = true;
    const off = follow(api, opId, {
      sessionLog: (e) => setLines((old) => {
        const next = old.concat(e.lines);
        return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
      }),
    });
    api.sessionLogs({ opId, id: session.id, follow: true, tail: 200 }).then(
      () => open && setFollowing(false),
      (e: unknown) => {
        if (!open) return;
        const info = errorInfo(e);
        if (info.code !== 'CANCELLED') setError(info);
        setFollowing(false);
      },
    );
    return () => {
      open = false;
      off();
      cancelOperation(api, opId);
    };
  }, [session.id]);

  // Opening the logs moves focus to them (arrow keys scroll); closing gives it back to the opener.
  useEffect(() => box.current?.focus(), [session.id]);

  useEffect(() => {
    const el = box.current;
    // Stay pinned to the bottom only when the reader already is there.
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 80) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <section className="card logs" aria-label={`Logs of ${session.projectName}`}>
      <header className="logs-head">
        <h2>
          Logs · {session.projectName} on {session.target}
        </h2>
        <span className="muted">{following ? 'following' : 'ended'}</span>
        <button type="button" className="btn small" onClick={onClose}>
          Close logs
        </button>
      </header>
      {error && <ErrorPanel error={error} />}
      <pre ref={box} className="log-view" role="log" aria-label="Log lines" tabIndex={0}>
        {lines.join('\n') || 'No output yet.'}
      </pre>
    </section>
  );
}
