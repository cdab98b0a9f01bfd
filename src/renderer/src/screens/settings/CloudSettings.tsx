import { useState } from 'react';
import { useApp } from '../../app-context';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useCall } from '../../hooks/useCall';
import { api } from '../../api';
import { CloudSettingsForm } from '../hosts/cloud/CloudSettingsForm';

/** Settings → Cloud GPU VMs: the project, preferred zones and the monthly limit whose reach warns before creating or starting a VM. */
export function CloudSettings() {
  const { project } = useApp();
  const view = useCall(() => api.cloudSettingsGet({ projectDir: project?.dir }), `cloud-settings-${project?.dir ?? ''}`);
  const [saved, setSaved] = useState(false);
  return (
    <section className="card" aria-labelledby="cloud-settings">
      <h2 id="cloud-settings">Cloud GPU VMs</h2>
      <p className="muted">
        With a monthly limit, Benchtop warns before creating or starting a VM once your VMs&apos; estimated cost this month reaches it.
      </p>
      {view.error && <ErrorPanel error={view.error} onRetry={view.reload} />}
      {view.data && (
        <CloudSettingsForm
          key={JSON.stringify(view.data)}
          view={view.data}
          onSaved={() => {
            setSaved(true);
            view.reload();
          }}
        />
      )}
      <span className="muted" role="status">{saved ? 'Saved.' : '\u00a0'}</span>
    </section>
  );
}
