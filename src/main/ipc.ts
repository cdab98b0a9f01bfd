import { ipcMain, type WebContents } from 'electron';
import { EVENT_NAMES, INVOKE_CHANNELS, ipcChannel, ipcEventChannel } from '../shared/channels';
import { dispatch } from './core/api/dispatch';
import type { Handlers } from './core/api/types';
import type { EventBus } from './core/events';
import { isAppSender } from './sender';

/**
 * The only place main touches ipcMain: binds every contract call to the core's handlers, refusing
 * messages that do not come from the top frame of one of the app's windows.
 */
export function bindIpc(handlers: Handlers, appUrl: () => string, appWindows: () => ReadonlySet<number>): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(ipcChannel(channel), (event, request: unknown) => {
      const frame = event.senderFrame;
      const sender = frame ? { url: frame.url, isTopFrame: frame.parent === null, webContentsId: event.sender.id } : null;
      if (!isAppSender(sender, appUrl(), appWindows())) {
        return { error: { code: 'FORBIDDEN_SENDER', message: 'This page may not call Benchtop.', hint: '' } };
      }
      return dispatch(handlers, channel, request);
    });
  }
}

/** Sends the core's events to one window until it closes. */
export function forwardEvents(bus: EventBus, contents: WebContents): void {
  const stops = EVENT_NAMES.map((name) =>
    bus.on(name, (payload) => {
      if (!contents.isDestroyed()) contents.send(ipcEventChannel(name), payload);
    }),
  );
  contents.once('destroyed', () => stops.forEach((stop) => stop()));
}
