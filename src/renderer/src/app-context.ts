import { createContext, useContext } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import type { AppInfo, ProjectInfo, SettingsView } from '../../shared/ipc';
import type { StartFlow } from './hooks/useStartFlow';

export type ScreenId = 'welcome' | 'sessions' | 'project' | 'images' | 'hosts' | 'settings';

export const SCREENS: readonly { id: ScreenId; title: string }[] = [
  { id: 'welcome', title: 'Welcome' },
  { id: 'sessions', title: 'Sessions' },
  { id: 'project', title: 'Project' },
  { id: 'images', title: 'Images' },
  { id: 'hosts', title: 'Hosts' },
  { id: 'settings', title: 'Settings' },
];

/** What every screen may read or change: the open project, settings, and where the user is. */
export interface AppState {
  info: AppInfo | null;
  project: ProjectInfo | null;
  /** Opens (or re-reads) a project folder; errors land in `projectError`. */
  openProject(dir: string): Promise<boolean>;
  projectError: ErrorInfo | null;
  settings: SettingsView | null;
  setSettings(view: SettingsView): void;
  navigate(screen: ScreenId): void;
  /** The one-click Start, kept here so it survives leaving the Welcome screen. */
  startFlow: StartFlow;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside <AppContext>');
  return state;
}
