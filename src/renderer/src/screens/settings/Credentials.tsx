import { useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../../shared/ipc';
import { api } from '../../api';
import { useConfirm } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { ErrorPanel } from '../../components/ErrorPanel';
import { StatusBadge, type Tone } from '../../components/StatusBadge';
import { useAction } from '../../hooks/useCall';

type Check = NonNullable<SettingsView['registryCredentials'][number]['check']>['state'];

const CHECK_TEXT: Record<Check, { tone: Tone; text: string; said: string }> = {
  'signed-in': { tone: 'ok', text: 'signed in', said: 'The registry accepted this login' },
  'no-login-asked': { tone: 'muted', text: 'no login asked', said: 'The registry lets anyone read; the login was not needed' },
  'not-checked': { tone: 'warn', text: 'needs attention', said: 'Saved without signing in: check it' },
};

/**
 * Registry logins. Saving signs in first (a wrong password shows here, not at the next pull); a
 * registry out of reach can be saved unchecked and checked later. The password field is write-only:
 * it is sent once, sealed by the app, and never read back.
 */
export function Credentials({ settings, onChange }: { settings: SettingsView; onChange(view: SettingsView): void }) {
  const [registry, setRegistry] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const action = useAction();
  const confirm = useConfirm();

  const save = async (unchecked: boolean) => {
    setResult(null);
    const name = registry.trim();
    const user = username.trim();
    const view = await action.run(unchecked ? 'save unchecked' : 'save', () => api.credentialSet({ registry: name, username: user, password, unchecked }));
    // On failure everything typed stays: fix the password, or "Save without checking" an unreachable registry.
    if (!view) return;
    onChange(view);
    setPassword('');
    setRegistry('');
    setUsername('');
    const check = view.registryCredentials.find((c) => c.registry === name)?.check?.state;
    setResult(
      check === 'signed-in' ? `Signed in to ${name} as ${user}. The login is saved.`
        : check === 'no-login-asked' ? `${name} lets anyone read without a login; the login is saved for when it asks.`
          : `Saved without signing in to ${name}: press Check once it can be reached.`,
    );
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (action.busy === null) void save(false);
  };

  const check = async (name: string) => {
    setResult(null);
    const view = await action.run(`check ${name}`, () => api.credentialCheck({ registry: name }));
    if (view) {
      onChange(view);
      setResult(`Checked the login for ${name}: ${CHECK_TEXT[view.registryCredentials.find((c) => c.registry === name)?.check?.state ?? 'not-checked'].text}.`);
    }
  };

  const remove = async (name: string) => {
    const yes = await confirm.ask({
      title: `Remove the login for ${name}?`,
      lost: ['The saved user name and password', `Pulls from ${name} until you log in again`],
      confirmLabel: 'Remove login',
    });
    if (!yes) return;
    setResult(null);
    const view = await action.run(`remove ${name}`, () => api.credentialRemove({ registry: name }));
    if (view) onChange(view);
  };

  const unreachable = action.error?.code === 'REGISTRY_UNREACHABLE' && action.busy === null;
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
        <DataTable label="Saved registry logins" columns={['Registry', 'User', 'Password', 'Sign-in']} actions>
          {settings.registryCredentials.map((c) => {
            const state = CHECK_TEXT[c.check?.state ?? 'not-checked'];
            return (
              <tr key={c.registry} aria-label={`Login for ${c.registry}`}>
                <th scope="row" className="mono">{c.registry}</th>
                <td>{c.username}</td>
                <td className="muted">stored encrypted</td>
                <td>
                  <StatusBadge tone={state.tone} label={state.said}>{state.text}</StatusBadge>
                </td>
                <td className="row-actions">
                  {c.check?.state !== 'signed-in' && (
                    <button
                      type="button"
                      className="btn small"
                      onClick={() => void check(c.registry)}
                      aria-disabled={action.busy === `check ${c.registry}` || undefined}
                      aria-label={`Check login for ${c.registry}`}
                    >
                      {action.busy === `check ${c.registry}` ? 'Checking…' : 'Check'}
                    </button>
                  )}
                  <button type="button" className="btn small danger" onClick={() => void remove(c.registry)} aria-label={`Remove login for ${c.registry}`}>
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <form className="form-grid" onSubmit={submit} aria-label="Add a registry login">
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
          {/* Busy is aria-disabled: the button keeps focus while it signs in, and the result is read next to it. */}
          <button type="submit" className="btn primary" disabled={!settings.secretStorageAvailable} aria-disabled={action.busy !== null || undefined}>
            {action.busy === 'save' ? 'Signing in…' : 'Sign in and save'}
          </button>
        </div>
      </form>
      {result && (
        <p className="banner info" role="status" aria-label="Registry login result">
          {result}
        </p>
      )}
      {action.error && (
        <div aria-label="Registry login problem">
          <ErrorPanel error={action.error} onDismiss={action.clear} />
          {unreachable && password && (
            <div className="row">
              <button type="button" className="btn" onClick={() => void save(true)}>
                Save without checking
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
