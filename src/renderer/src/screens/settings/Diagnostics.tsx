import { useState } from 'react';
import { api } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction } from '../../hooks/useCall';
import { newOpId } from '../../lib/opid';

/**
 * "Copy diagnostics" for a help request: a fresh machine check report and the end of the log (secrets
 * masked), copied as one text. Gathered on click, since the check asks the engine and the registry.
 */
export function Diagnostics() {
  const action = useAction();
  const [copied, setCopied] = useState<string | null>(null);

  const copy = async () => {
    setCopied(null);
    const diagnostics = await action.run('diagnostics', () => api.diagnostics({ opId: newOpId('diagnostics') }));
    if (!diagnostics) return;
    await navigator.clipboard.writeText(diagnostics.text);
    setCopied(diagnostics.logDir);
  };

  return (
    <section className="card" aria-labelledby="diagnostics">
      <h2 id="diagnostics">Diagnostics</h2>
      <p className="muted">For a help request: the machine check report and the recent log, with tokens and passwords masked.</p>
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      <div className="row">
        <button type="button" className="btn" onClick={() => void copy()} disabled={action.busy !== null}>
          {action.busy ? 'Gathering…' : 'Copy diagnostics'}
        </button>
        <span className="muted" role="status">
          {copied ? `Copied. The full log is in ${copied}.` : '\u00a0'}
        </span>
      </div>
    </section>
  );
}
