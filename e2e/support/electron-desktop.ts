import type { ElectronApplication } from '@playwright/test';
import type { Notified, OpenedUrl } from '../bridge/server';

/**
 * The Electron app's desktop side for a test, like the bridge's Desktop (e2e/bridge/server.ts):
 * installed in the main process right after launch, before any window can ask. What src/main/index.ts
 * calls is replaced or watched there:
 *   - dialog.showOpenDialog answers `project` (cancelled without one), as BENCHTOP_E2E_PROJECT does
 *     for the bridge;
 *   - shell.openExternal and shell.openPath are recorded instead of opening a browser;
 *   - Notification#show is recorded (and isSupported is true, as no notification daemon runs in CI);
 *   - a notebook window (openNotebookWindow, titled "Notebook — <session id>") still opens, and the
 *     first URL it loads is recorded.
 * The records are read back with electronOpened / electronNotified.
 */
export async function installElectronDesktop(app: ElectronApplication, project: string | undefined): Promise<void> {
  await app.evaluate(({ app: electronApp, dialog, shell, Notification }, chosen) => {
    const record: { opened: OpenedUrl[]; notified: Notified[] } = { opened: [], notified: [] };
    (globalThis as { __benchtopE2E?: typeof record }).__benchtopE2E = record;
    const answer = chosen ? { canceled: false, filePaths: [chosen] } : { canceled: true, filePaths: [] };
    dialog.showOpenDialog = (async () => answer) as typeof dialog.showOpenDialog;
    shell.openExternal = async (url: string) => void record.opened.push({ kind: 'external', url });
    shell.openPath = async (path: string) => {
      record.opened.push({ kind: 'page', url: path });
      return '';
    };
    Notification.isSupported = () => true;
    Notification.prototype.show = function show(this: { title: string; body: string }) {
      record.notified.push({ title: this.title, body: this.body });
    };
    electronApp.on('browser-window-created', (_event, window) => {
      const sessionId = /^Notebook — (.+)$/.exec(window.getTitle())?.[1];
      if (!sessionId) return;
      const load = window.loadURL.bind(window);
      let first = true;
      window.loadURL = (url, options) => {
        if (first) record.opened.push({ kind: 'notebook', url, sessionId });
        first = false;
        return load(url, options);
      };
    });
  }, project ?? '');
}

type Records = { opened: OpenedUrl[]; notified: Notified[] };

async function records(app: ElectronApplication): Promise<Records> {
  return app.evaluate(() => (globalThis as { __benchtopE2E?: Records }).__benchtopE2E ?? { opened: [], notified: [] });
}

/** What the Electron app asked the desktop to open since launch. */
export async function electronOpened(app: ElectronApplication): Promise<OpenedUrl[]> {
  return (await records(app)).opened;
}

/** The notifications the Electron app showed since launch. */
export async function electronNotified(app: ElectronApplication): Promise<Notified[]> {
  return (await records(app)).notified;
}
