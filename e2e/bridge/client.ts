/**
 * The test bridge's `window.benchtop`, bundled for the browser by the bridge at start-up: the same
 * buildApiObject as the preload, over HTTP (calls) and Server-Sent Events (events) instead of IPC.
 */
import { buildApiObject } from '../../src/shared/api-object';
import { EVENT_NAMES } from '../../src/shared/channels';
import type { Envelope } from '../../src/shared/errors';
import type { EventName } from '../../src/shared/ipc';

// The e2e folder is type-checked without the DOM library; these are the two browser objects used.
interface MessageEventLike {
  data: string;
}
interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEventLike) => void): void;
}
declare const EventSource: new (url: string) => EventSourceLike;

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
const events = new EventSource('/__bridge/events');

// Calls wait until the event stream is open, so the first progress events of a call are never lost.
const ready = new Promise<void>((resolve) => {
  events.addEventListener('open', () => resolve());
  setTimeout(resolve, 3000);
});

for (const name of EVENT_NAMES) {
  events.addEventListener(name, (event) => {
    const payload: unknown = JSON.parse(event.data);
    for (const listener of listeners.get(name) ?? []) listener(payload);
  });
}

const api = buildApiObject({
  async invoke(channel, request) {
    await ready;
    const response = await fetch(`/__bridge/invoke/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request ?? null),
    });
    return (await response.json()) as Envelope<unknown>;
  },
  subscribe(event, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
});

// Frozen like the contextBridge copy the preload produces: the page cannot swap calls out.
Object.defineProperty(globalThis, 'benchtop', { value: Object.freeze(api), enumerable: true });
