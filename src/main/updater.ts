import { app, dialog, type BrowserWindow } from 'electron';
import electronUpdater from 'electron-updater';
import type { Core } from './core/core';

const CHECK_EVERY_MS = 6 * 60 * 60_000;

/**
 * The thin Electron side of updates: electron-updater's generic provider at the URL the core
 * decides (your settings, else the team file), downloading in the background. Whether a newer
 * version exists and whether the app may restart now are the core's answers (core/updates); the
 * user is asked before a restart, and a restart waits while a notebook sync or a session move runs.
 * An installed update that was not restarted for is installed when the app quits.
 */
export function installUpdater(core: Core, window: () => BrowserWindow | null): void {
  if (!app.isPackaged) return; // a source checkout updates with git
  const { autoUpdater } = electronUpdater;
  const log = core.log.child('updates');
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  let asked = false;

  const check = async () => {
    try {
      const answer = await core.updates.check();
      if (!answer.available || !answer.url) return;
      autoUpdater.setFeedURL({ provider: 'generic', url: answer.url });
      await autoUpdater.checkForUpdates();
    } catch (error) {
      log.ignored('check for updates (tried again later)', error);
    }
  };

  autoUpdater.on('error', (error) => log.ignored('download the update', error));
  autoUpdater.on('update-downloaded', (info) => {
    if (asked) return;
    asked = true;
    void (async () => {
      const owner = window();
      const options = {
        type: 'info' as const,
        buttons: ['Restart now', 'Later'],
        defaultId: 1,
        cancelId: 1,
        title: 'Update ready',
        message: `Benchtop ${info.version} is ready to install.`,
        detail: 'Sessions keep running in their engines; the app restarts. Choosing Later installs it when you quit.',
      };
      const { response } = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
      if (response !== 0) return;
      const { allowed, waitingFor } = core.updates.restartNow();
      if (!allowed) {
        const wait = { type: 'info' as const, buttons: ['OK'], title: 'Restart after the current work', message: `Benchtop restarts when ${waitingFor.join(' and ')} finishes.` };
        void (owner ? dialog.showMessageBox(owner, wait) : dialog.showMessageBox(wait));
      }
      await core.updates.whenIdle();
      autoUpdater.quitAndInstall();
    })().catch((error: unknown) => log.ignored('restart to install the update', error));
  });

  void check();
  setInterval(() => void check(), CHECK_EVERY_MS).unref();
}
