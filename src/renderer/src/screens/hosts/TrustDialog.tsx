import type { HostAddResult } from '../../../../shared/ipc';
import { api } from '../../api';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction } from '../../hooks/useCall';

type Trust = Extract<HostAddResult, { status: 'needs-trust' }>;

/**
 * First contact with a host: show its key fingerprint so the user can compare it with what the
 * host's admin published, and only then record it in known_hosts.
 */
export function TrustDialog({ request, onClose, onTrusted, onFailed }: { request: Trust | null; onClose(): void; onTrusted(): void; onFailed?(hostId: string): void }) {
  const action = useAction();
  const trust = async () => {
    if (!request) return;
    const host = await action.run('trust', () => api.hostTrust({ hostId: request.hostId, fingerprint: request.fingerprint }));
    // The host stays stored after a failed first connection: the screen shows it at once.
    if (host) onTrusted();
    else onFailed?.(request.hostId);
  };
  return (
    <Dialog title="Trust this host?" open={request !== null} onClose={onClose}>
      <p>
        {request?.jumpHost ? (
          <>
            Benchtop reaches <strong>{request.hostId}</strong> through the jump host <strong>{request.jumpHost}</strong>, which it has
            not connected to before. Check that the jump host&apos;s key fingerprint matches the one your administrator gave you.
          </>
        ) : (
          <>
            Benchtop has not connected to <strong>{request?.hostId}</strong> before. Check that its key fingerprint matches the one
            your administrator gave you.
          </>
        )}
      </p>
      {/* Stacked: the fingerprint gets the dialog's whole width, on one line, to compare character by character. */}
      <dl className="facts stacked">
        <dt>Key type</dt>
        <dd className="mono">{request?.keyType}</dd>
        <dt>Fingerprint</dt>
        <dd className="mono fingerprint" data-testid="host-fingerprint">{request?.fingerprint}</dd>
      </dl>
      {action.error && <ErrorPanel error={action.error} />}
      <div className="dialog-actions">
        <button type="button" className="btn ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn primary" onClick={() => void trust()} disabled={action.busy !== null}>
          Trust and add
        </button>
      </div>
    </Dialog>
  );
}
