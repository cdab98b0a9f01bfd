import { contextBridge, ipcRenderer } from 'electron';
import { buildApiObject } from '../shared/api-object';
import { ipcChannel, ipcEventChannel } from '../shared/channels';
import type { Envelope } from '../shared/errors';

/**
 * The renderer's only door to the app: `window.benchtop`, one function per contract call plus `on`.
 * Raw ipcRenderer never crosses the bridge.
 */
const api = buildApiObject({
  invoke: (channel, request) => ipcRenderer.invoke(ipcChannel(channel), request) as Promise<Envelope<unknown>>,
  subscribe(event, listener) {
    const channel = ipcEventChannel(event);
    const forward = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
});

contextBridge.exposeInMainWorld('benchtop', api);
