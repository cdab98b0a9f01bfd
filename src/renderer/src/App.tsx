import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import type { AppInfo, ProjectInfo, SettingsView } from '../../shared/ipc';
import { api, errorInfo } from './api';
import { AppContext, SCREENS, type AppState, type ScreenId } from './app-context';
import { ErrorPanel } from './components/ErrorPanel';
import { LinkConsent } from './components/LinkConsent';
import { useStartFlow } from './hooks/useStartFlow';
import { useTheme } from './hooks/useTheme';
import { HostsScreen } from './screens/Hosts';
import { ImagesScreen } from './screens/Images';
import { ProjectScreen } from './screens/Project';
import { SessionsScreen } from './screens/Sessions';
import { SettingsScreen } from './screens/Settings';
import { WelcomeScreen } from './screens/Welcome';
import { NavIcon } from './components/NavIcon';

/** The app shell: navigation on the left, one screen on the right, app-wide warnings on top. */
export function App() {
  const [screen, setScreen] = useState<ScreenId>('welcome');
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [projectError, setProjectError] = useState<ErrorInfo | null>(null);
  const [startError, setStartError] = useState<ErrorInfo | null>(null);

  const startFlow = useStartFlow();
  useTheme(settings?.theme ?? 'system');

  useEffect(() => {
    api.appInfo().then(setInfo, (e: unknown) => setStartError(errorInfo(e)));
    api.settingsGet().then(setSettings, (e: unknown) => setStartError(errorInfo(e)));
  }, []);

  const openProject = useCallback(async (dir: string) => {
    setProjectError(null);
    try {
      setProject(await api.projectOpen({ dir }));
      return true;
    } catch (e) {
      setProjectError(errorInfo(e));
      return false;
    }
  }, []);

  const state = useMemo<AppState>(
    () => ({ info, project, openProject, projectError, settings, setSettings, navigate: setScreen, startFlow }),
    [info, project, openProject, projectError, settings, startFlow],
  );

  return (
    <AppContext.Provider value={state}>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <div className="app">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span className="brand-name">Benchtop</span>
          </div>
          <ul className="nav-list">
            {SCREENS.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={screen === s.id ? 'page' : undefined}
                  onClick={() => setScreen(s.id)}
                >
                  <NavIcon screen={s.id} />
                  {s.title}
                </button>
              </li>
            ))}
          </ul>
          <div className="sidebar-foot">
            <p className="project-chip" title={project?.dir}>
              {project ? project.name : 'No project open'}
            </p>
            <p className="version num">{info ? `v${info.version} · ${info.shell}` : '\u00a0'}</p>
          </div>
        </nav>
        <main className="content" id="content" tabIndex={-1}>
          {startError && <ErrorPanel error={startError} onDismiss={() => setStartError(null)} />}
          {info?.warnings.map((w) => (
            <p key={w} className="banner warn" role="status">
              {w}
            </p>
          ))}
          {screen === 'welcome' && <WelcomeScreen />}
          {screen === 'sessions' && <SessionsScreen />}
          {screen === 'project' && <ProjectScreen />}
          {screen === 'images' && <ImagesScreen />}
          {screen === 'hosts' && <HostsScreen />}
          {screen === 'settings' && <SettingsScreen />}
        </main>
        {/* benchtop:// links: asks before anything happens, then runs the start flow. */}
        <LinkConsent />
      </div>
    </AppContext.Provider>
  );
}
