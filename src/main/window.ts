import { app, BrowserWindow, nativeTheme } from 'electron';
import { join } from 'node:path';
import { APP_URL } from './app-scheme';
import { developmentSwitches } from './dev-switches';
import { restrictNavigation, SECURE_WEB_PREFERENCES } from './security';

const here = import.meta.dirname;

/** The built renderer folder, served on app://benchtop/ (app-protocol.ts). */
export const rendererRoot = join(here, '../renderer');

const switches = () => developmentSwitches(process.env, app.isPackaged);

/** The app's page: the dev server while developing (unpackaged only), app://benchtop/index.html otherwise. */
export function appUrl(): string {
  return switches().rendererUrl ?? APP_URL;
}

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1240,
    height: 820,
    minWidth: 880,
    minHeight: 600,
    show: false,
    title: 'Benchtop',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171c' : '#f6f7f9',
    webPreferences: { ...SECURE_WEB_PREFERENCES, devTools: switches().devTools, preload: join(here, '../preload/index.cjs') },
  });
  restrictNavigation(window.webContents, () => [appUrl()]);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appUrl());
  return window;
}

/**
 * A session's notebook in its own window: an in-memory partition of its own (no cookies shared with
 * the app or other sessions), no preload, and navigation limited to that session's Jupyter origin.
 */
export function openNotebookWindow(sessionId: string, url: string): BrowserWindow {
  const origin = new URL(url).origin;
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    title: `Notebook — ${sessionId}`,
    webPreferences: { ...SECURE_WEB_PREFERENCES, devTools: switches().devTools, partition: `notebook-${sessionId}` },
  });
  window.webContents.session.setPermissionRequestHandler((_c, _p, callback) => callback(false));
  restrictNavigation(window.webContents, () => [origin]);
  // Jupyter opens notebooks in new tabs: keep same-origin ones in this window, send others outside.
  window.webContents.setWindowOpenHandler(({ url: next }) => {
    if (new URL(next).origin === origin) void window.loadURL(next);
    return { action: 'deny' };
  });
  void window.loadURL(url);
  return window;
}
