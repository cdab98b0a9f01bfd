import { useState, type FormEvent } from 'react';
import type { CloudSettingsView } from '../../../../../shared/ipc';
import { api } from '../../../api';
import { ErrorPanel } from '../../../components/ErrorPanel';
import { useAction } from '../../../hooks/useCall';

interface Props {
  view: CloudSettingsView;
  onSaved(view: CloudSettingsView): void;
}

/** The Google Cloud project, preferred zones and monthly limit (the team file's stand in while empty). */
export function CloudSettingsForm({ view, onSaved }: Props) {
  const [project, setProject] = useState(view.project);
  const [zones, setZones] = useState(view.zones.join(', '));
  const [limit, setLimit] = useState(String(view.monthlyLimit));
  const action = useAction();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await action.run('save', () => api.cloudSettingsSet({
      project: project.trim(),
      zones: zones.split(',').map((z) => z.trim()).filter(Boolean),
      monthlyLimit: Number(limit) || 0,
    }));
    if (saved) onSaved(saved);
  };
  return (
    <form className="cloud-settings" onSubmit={(e) => void save(e)} aria-label="Cloud settings">
      <label className="field grow">
        <span>Google Cloud project</span>
        <input value={project} onChange={(e) => setProject(e.target.value)} placeholder={view.team?.project ?? 'my-team-project'} spellCheck={false} />
      </label>
      <label className="field grow">
        <span>Preferred zones (optional)</span>
        <input value={zones} onChange={(e) => setZones(e.target.value)} placeholder={view.team?.zones.join(', ') || 'europe-west4-a, us-central1-a'} spellCheck={false} />
      </label>
      <label className="field">
        <span>Monthly limit, USD (0: none)</span>
        <input type="number" min={0} step="any" value={limit} onChange={(e) => setLimit(e.target.value)} />
      </label>
      {view.team?.project && <p className="hint">The team file sets project {view.team.project}; a value here wins.</p>}
      <div className="dialog-actions">
        <button type="submit" className="btn primary" disabled={action.busy !== null || (!project.trim() && !view.team?.project)}>
          {action.busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
    </form>
  );
}
