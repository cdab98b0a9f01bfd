import { useEffect, useRef } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { hintsFor } from '../lib/app-hints';
import { CopyButton } from './CopyButton';

interface Props {
  error: ErrorInfo;
  /** Shown as a button, e.g. `Retry from Start the session`. */
  retryLabel?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
  /** Scrolls the panel into view when it appears (errors at the end of a long page). */
  reveal?: boolean;
}

/**
 * The one place an error is shown: its stable code, what happened, and what to do. The details can
 * be copied as text for a help request.
 */
export function ErrorPanel({ error, retryLabel, onRetry, onDismiss, reveal }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (reveal) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [reveal, error]);
  const hints = hintsFor(error);
  const text = `${error.code}: ${error.message}${hints.app ? `\nFix: ${hints.app}` : ''}${hints.terminal ? `\nFrom a terminal: ${hints.terminal}` : ''}`;
  return (
    <div ref={ref} className="error-panel" role="alert" aria-label={`Error ${error.code}`}>
      <div className="error-head">
        <span className="error-code" data-testid="error-code">{error.code}</span>
        <p className="error-message" data-testid="error-message">{error.message}</p>
      </div>
      {/* The fix in the app's words first; a command for a terminal second, where the core gave one. */}
      {hints.app && (
        <p className="error-hint" data-testid="error-hint">
          <strong>How to fix: </strong>
          {hints.app}
        </p>
      )}
      {hints.terminal && (
        <p className="error-hint muted" data-testid={hints.app ? 'error-terminal-hint' : 'error-hint'}>
          <strong>From a terminal: </strong>
          {hints.terminal}
        </p>
      )}
      <div className="error-actions">
        {onRetry && (
          <button type="button" className="btn primary" onClick={onRetry}>
            {retryLabel ?? 'Retry'}
          </button>
        )}
        <CopyButton text={text} label="Copy details" />
        {onDismiss && (
          <button type="button" className="btn ghost" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
    </div>
  );
}
