// First: the installed `benchtop` command runs this binary in command-line mode (no window, no lock).
import { cliMode } from './cli-mode/start';
import { app, BrowserWindow, dialog, nativeTheme, Notification, shell } from 'electron';
import { createHandlers } from './core/api';
import { Core } from './core/core';
import type { Desktop } from './core/desktop';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { refusedSwitches } from './dev-switches';
import { bindIpc, forwardEvents } from './ipc';
import { installLinkHandling } from './links';
import { installUpdater } from './updater';
import { installAppSecurity } from './security';
import { openAppSettings, openSecretBox } from './settings-store';
import { appUrl, createMainWindow, openNotebookWindow, rendererRoot } from './window';

const appWindows = new Set<number>();
let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;
let links: { flush(): void } | null = null;

function showMainWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  const window = createMainWindow();
  const id = window.webContents.id;
  appWindows.add(id);
  if (core) forwardEvents(core.bus, window.webContents);
  window.on('closed', () => {
    appWindows.delete(id);
    mainWindow = null;
  });
  mainWindow = window;
}

const desktop: Desktop = {
  async chooseFolder() {
    const options = { title: 'Open a project folder', properties: ['openDirectory' as const] };
    const answer = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    return answer.canceled ? null : (answer.filePaths[0] ?? null);
  },
  openExternal: (url) => shell.openExternal(url),
  async openLocalPage(path) {
    // The default app for .html (the browser); the session URL inside never reaches a command line.
    const error = await shell.openPath(path);
    if (error) throw new Error(`Could not open ${path}: ${error}`);
  },
  async openNotebook(sessionId, url) {
    openNotebookWindow(sessionId, url);
  },
  notify(title, body) {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  },
};

async function start(): Promise<void> {
  installAppSecurity(appUrl);
  serveRenderer(rendererRoot);
  const settings = openAppSettings();
  const theme = settings.get('theme');
  nativeTheme.themeSource = theme;
  core = new Core({ settings, secrets: openSecretBox(), desktop, shell: 'electron', logDir: app.getPath('logs') });
  bindIpc(createHandlers(core), appUrl, () => appWindows);
  showMainWindow();
  // Links that came with the start (or before the core existed): the window asks before anything happens.
  links?.flush();
  // After the window exists, so a slow engine or host never delays the first paint.
  core.start();
  // Self-update (installed apps only): asks before restarting, never during a sync or move.
  installUpdater(core, () => mainWindow);
}

// Before ready, as Electron requires: app:// must be a standard, secure scheme from the first page on.
if (!cliMode) registerAppScheme();
const refused = cliMode ? [] : refusedSwitches(process.argv, app.isPackaged);
if (cliMode) {
  // `benchtop …` from a terminal: src/main/cli-mode/start.ts runs the CLI and exits with its code.
} else if (refused.length) {
  // An installed app never opens a debugging port into itself (the fuses also turn off --inspect).
  dialog.showErrorBox('Benchtop did not start', `The installed app does not run with ${refused.map((s) => `--${s}`).join(', ')}. Start it without ${refused.length === 1 ? 'that switch' : 'those switches'}.`);
  app.exit(1);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // benchtop:// links (and a second start, which focuses this window): src/main/links.ts.
  links = installLinkHandling(() => (core ? (url) => core?.links.receive(url) : null), showMainWindow);
  app.on('activate', showMainWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    // Sessions keep running in the engine; only the app's own watchers and connections stop.
    void core?.close();
  });
  app.whenReady().then(start, (error: unknown) => {
    dialog.showErrorBox('Benchtop could not start', String(error));
    app.exit(1);
  });
}
