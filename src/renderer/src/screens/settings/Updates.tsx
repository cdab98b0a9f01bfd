import { useEffect, useState, type FormEvent } from 'react';
import type { UpdateCheck } from '../../../../shared/ipc';
import { api } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction, useCall } from '../../hooks/useCall';

/**
 * Where the app's updates come from (your address, else the team file's) and a check now. The
 * installed app downloads a newer version in the background and asks before restarting; it never
 * restarts while a notebook sync or a session move runs.
 */
export function UpdatesSettings() {
  const source = useCall(() => api.updateSourceGet(), 'update-source');
  const [url, setUrl] = useState('');
  const [check, setCheck] = useState<UpdateCheck | null>(null);
  const action = useAction();
  useEffect(() => {
    if (source.data) setUrl(source.data.url);
  }, [source.data]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run('save', () => api.updateSourceSet({ url }))) source.reload();
  };
  const checkNow = async () => {
    setCheck(null);
    const answer = await action.run('check', () => api.updateCheck());
    if (answer) setCheck(answer);
  };

  return (
    <section className="card" aria-labelledby="updates">
      <h2 id="updates">Updates</h2>
      {source.error && <ErrorPanel error={source.error} />}
      <form aria-label="Where updates come from" onSubmit={(e) => void save(e)}>
        <div className="form-grid">
          <label className="field">
            <span>Update address (the folder with latest.yml; https)</span>
            <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder={source.data?.teamUrl ?? 'https://downloads.example.com/benchtop/'} />
          </label>
        </div>
        {source.data?.teamUrl && !source.data.url && (
          <p className="muted">
            From the team file ({source.data.teamSource}): <span className="mono">{source.data.teamUrl}</span>
          </p>
        )}
        <div className="row">
          <button type="submit" className="btn" disabled={action.busy !== null}>
            Save address
          </button>
          <button type="button" className="btn" onClick={() => void checkNow()} disabled={action.busy !== null}>
            Check for updates
          </button>
        </div>
      </form>
      {action.error && <ErrorPanel error={action.error} />}
      {check && (
        <p role="status">
          {!check.configured
            ? 'No update address is set (here or in the team file).'
            : check.available
              ? `Benchtop ${check.latest} is available (this is ${check.current}). The app downloads it and asks before restarting; it waits while a sync or a move runs.`
              : `Benchtop ${check.current} is the newest (${check.latest} published).`}
        </p>
      )}
    </section>
  );
}
