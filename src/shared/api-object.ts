/**
 * Builds the `window.benchtop` object from a transport. The preload uses Electron IPC as the
 * transport and the e2e test bridge uses HTTP, so both expose exactly the same keys and errors.
 */
import { EVENT_NAMES, INVOKE_CHANNELS, isEventName } from './channels';
import { encodeErrorMessage, type Envelope } from './errors';
import type { BenchtopApi, Channel, EventMap, EventName } from './ipc';

export interface ApiTransport {
  invoke(channel: Channel, request: unknown): Promise<Envelope<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export function buildApiObject(transport: ApiTransport): BenchtopApi {
  const api: Record<string, unknown> = {};
  for (const channel of INVOKE_CHANNELS) {
    api[channel] = async (request?: unknown) => {
      const envelope = await transport.invoke(channel, request);
      if ('error' in envelope) throw new Error(encodeErrorMessage(envelope.error));
      return envelope.result;
    };
  }
  api.on = <E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => {
    if (!isEventName(event)) throw new Error(`Unknown event "${String(event)}"; known: ${EVENT_NAMES.join(', ')}`);
    return transport.subscribe(event, listener as (payload: unknown) => void);
  };
  return api as BenchtopApi;
}
