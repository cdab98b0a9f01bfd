import { useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../../shared/ipc';
import { api } from '../../api';
import { useConfirm } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction } from '../../hooks/useCall';

/**
 * Registry logins. The password field is write-only: it is sent once, sealed by the app, and never
 * read back; the list shows only registry and user name.
 */
export function Credentials({ settings, onChange }: { settings: SettingsView; onChange(view: SettingsView): void }) {
  const [registry, setRegistry] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const confirm = useConfirm();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const view = await action.run('save', () => api.credentialSet({ registry: registry.trim(), username: username.trim(), password }));
    setPassword('');
    if (view) {
      onChange(view);
      setRegistry('');
      setUsername('');
    }
  };

  const remove = async (name: string) => {
    const yes = await confirm.ask({
      title: `Remove the login for ${name}?`,
      lost: ['The saved user name and password', `Pulls from ${name} until you log in again`],
      confirmLabel: 'Remove login',
    });
    if (!yes) return;
    const view = await action.run(`remove ${name}`, () => api.credentialRemove({ registry: name }));
    if (view) onChange(view);
  };

  return (
    <section className="card" aria-labelledby="registry-logins">
      <h2 id="registry-logins">Registry logins</h2>
      {confirm.dialog}
      {!settings.secretStorageAvailable && (
        <p className="banner warn" role="status">
          This computer offers no encrypted storage, so Benchtop cannot keep passwords. Use <code>docker login</code> instead.
        </p>
      )}
      {settings.registryCredentials.length > 0 && (
        <DataTable label="Saved registry logins" columns={['Registry', 'User', 'Password']} actions>
          {settings.registryCredentials.map((c) => (
            <tr key={c.registry}>
              <th scope="row" className="mono">{c.registry}</th>
              <td>{c.username}</td>
              <td className="muted">stored encrypted</td>
              <td className="row-actions">
                <button type="button" className="btn small danger" onClick={() => void remove(c.registry)} aria-label={`Remove login for ${c.registry}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form className="form-grid" onSubmit={(e) => void save(e)} aria-label="Add a registry login">
        <label className="field">
          <span>Registry</span>
          <input value={registry} onChange={(e) => setRegistry(e.target.value)} placeholder="registry.example.com" spellCheck={false} required />
        </label>
        <label className="field">
          <span>User name</span>
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" spellCheck={false} required />
        </label>
        <label className="field">
          <span>Password or token</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required />
        </label>
        <div className="row end">
          <button type="submit" className="btn primary" disabled={action.busy !== null || !settings.secretStorageAvailable}>
            Save login
          </button>
        </div>
      </form>
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
    </section>
  );
}
