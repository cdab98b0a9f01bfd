import { useEffect, useState, type FormEvent } from 'react';
import type { Theme } from '../../../shared/ipc';
import { api } from '../api';
import { useApp } from '../app-context';
import { ErrorPanel } from '../components/ErrorPanel';
import { Screen } from '../components/Screen';
import { TargetSelect } from '../components/TargetSelect';
import { useAction } from '../hooks/useCall';
import { useHostList } from '../hooks/useShared';
import { CloudSettings } from './settings/CloudSettings';
import { Credentials } from './settings/Credentials';
import { Diagnostics } from './settings/Diagnostics';
import { SettingOrigins } from './settings/SettingOrigins';
import { TeamHosts } from './settings/TeamHosts';
import { UpdatesSettings } from './settings/Updates';

const THEMES: readonly { value: Theme; label: string }[] = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

const SUBTITLE = 'Appearance, where sessions start, idle stop, registry logins and diagnostics.';

/** App settings: appearance, where sessions start, idle stop, registry logins. */
export function SettingsScreen() {
  const { settings, setSettings, project, openProject } = useApp();
  const hosts = useHostList();
  const [target, setTarget] = useState('local');
  const [idle, setIdle] = useState('60');
  const [saved, setSaved] = useState(false);
  // The choice shows at once; the saved value replaces it when the call answers (or the old one on failure).
  const [pendingTheme, setPendingTheme] = useState<Theme | null>(null);
  const action = useAction();

  useEffect(() => {
    if (!settings) return;
    setTarget(settings.defaultTarget);
    setIdle(String(settings.idleMinutes));
  }, [settings]);

  if (!settings) return <Screen title="Settings" subtitle={SUBTITLE}>{null}</Screen>;

  const setTheme = async (theme: Theme) => {
    setPendingTheme(theme);
    const view = await action.run('theme', () => api.settingsSet({ theme }));
    if (view) setSettings(view);
    setPendingTheme(null);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const minutes = Number(idle);
    const view = await action.run('save', () => api.settingsSet({ defaultTarget: target, idleMinutes: minutes }));
    if (view) {
      setSettings(view);
      setSaved(true);
      // The open project's idle stop follows this one unless it sets its own: read it again.
      if (project) void openProject(project.dir);
    }
  };

  // A saved target that is no longer listed (host removed, hosts not loadable) stays selectable.
  const targets = [...new Set(['local', settings.defaultTarget, ...(hosts.data ?? []).map((h) => h.id)])];
  return (
    <Screen title="Settings" subtitle={SUBTITLE}>
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      <section className="card" aria-labelledby="appearance">
        <h2 id="appearance">Appearance</h2>
        <fieldset className="radio-row">
          <legend>Theme</legend>
          {THEMES.map((t) => (
            <label key={t.value} className="radio">
              <input
                type="radio"
                name="theme"
                value={t.value}
                checked={(pendingTheme ?? settings.theme) === t.value}
                onChange={() => void setTheme(t.value)}
              />
              {t.label}
            </label>
          ))}
        </fieldset>
      </section>
      <form className="card" aria-labelledby="sessions-settings" onSubmit={(e) => void save(e)}>
        <h2 id="sessions-settings">Sessions</h2>
        <div className="form-grid">
          <TargetSelect label="Default target" targets={targets} value={target} onChange={setTarget} />
          <label className="field">
            <span>Idle stop (minutes, 0 = never)</span>
            <input type="number" min={0} max={10080} step={1} value={idle} onChange={(e) => setIdle(e.target.value)} aria-describedby="idle-wins" />
          </label>
        </div>
        {/* The project's own idle stop wins for its sessions: said here instead of losing silently. */}
        <p id="idle-wins" className="hint" role="status">
          {project && project.idleMinutes !== settings.idleMinutes
            ? `${project.name}'s sessions stop after ${project.idleMinutes === 0 ? 'no idle time (never)' : `${project.idleMinutes} min idle`}, as its devcontainer.json or the team file says; this setting applies where neither sets one.`
            : '\u00a0'}
        </p>
        <div className="row">
          <button type="submit" className="btn primary" disabled={action.busy !== null}>
            Save
          </button>
          <span className="muted" role="status">
            {saved ? 'Saved.' : '\u00a0'}
          </span>
        </div>
      </form>
      <SettingOrigins />
      <TeamHosts />
      <CloudSettings />
      <Credentials settings={settings} onChange={setSettings} />
      <UpdatesSettings />
      <Diagnostics />
    </Screen>
  );
}
