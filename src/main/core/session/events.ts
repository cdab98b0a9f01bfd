import type Docker from 'dockerode';
import type { EngineService } from '../engine/service';
import { SESSION_FILTER } from './labels';
import { followLines } from './lines';

/** One container event from the engine (`GET /events`), the fields sessions use. */
export interface ContainerEvent {
  /** Container name, which is the session id. */
  name: string;
  /** The engine's container id: a recreated session keeps its name but not this. */
  containerId: string;
  action: string;
  /** Seconds since the epoch, as the engine stamps it. */
  time: number;
}

export interface EventWatcherHooks {
  onEvent(event: ContainerEvent): void;
  /** After every (re)connect: compare with a container list, since events may have been missed. */
  reconcile(): Promise<void>;
  /** The stream dropped and the engine does not answer: its sessions are unreachable now. */
  onEngineLost(error: unknown): void;
}

const MAX_BACKOFF_MS = 10_000;

/**
 * One events stream per target, filtered to Benchtop sessions. When it drops (engine restarted,
 * SSH connection lost) it reconnects with `since` = the last event seen, so nothing in between is
 * lost, and reconciles with a fresh container list either way.
 */
export class SessionEventWatcher {
  #since: number;
  #controller = new AbortController();
  #running = false;
  #connected: Promise<void>;
  #markConnected: () => void = () => undefined;

  constructor(
    private readonly engines: EngineService,
    readonly target: string,
    private readonly hooks: EventWatcherHooks,
  ) {
    this.#since = Math.floor(Date.now() / 1000);
    this.#connected = new Promise((resolve) => (this.#markConnected = resolve));
  }

  /** Starts following; resolves once the first stream is open, so no event after this call is missed. */
  start(): Promise<void> {
    if (!this.#running) {
      this.#running = true;
      void this.#loop();
    }
    return this.#connected;
  }

  stop(): void {
    this.#running = false;
    this.#controller.abort();
  }

  async #loop(): Promise<void> {
    let backoff = 250;
    while (this.#running) {
      try {
        const options = { since: this.#since, filters: { type: ['container'], label: [SESSION_FILTER] }, abortSignal: this.#controller.signal };
        const stream: NodeJS.ReadableStream = await this.engines.call(this.target, 'events', (d) => d.getEvents(options as Docker.GetEventsOptions));
        this.#markConnected();
        // Every connect, the first too: whoever watches (the sync watcher after an app restart) hears
        // of sessions that were already there, not only of the next change.
        // A failed reconcile is logged by the hook's owner (the session monitor); the next connect tries again.
        await this.hooks.reconcile().catch(() => undefined);
        backoff = 250;
        await followLines(stream, this.#controller.signal, (line) => this.#handle(line));
      } catch (error) {
        if (!this.#running) return;
        this.#markConnected(); // a caller waiting on start() must not hang on a dead engine
        this.hooks.onEngineLost(error);
      }
      if (!this.#running) return;
      await new Promise((resolve) => setTimeout(resolve, backoff).unref());
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  #handle(line: string): void {
    let raw: { Action?: string; status?: string; time?: number; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
    try {
      raw = JSON.parse(line) as typeof raw;
    } catch {
      return;
    }
    const name = raw.Actor?.Attributes?.name;
    const action = (raw.Action ?? raw.status ?? '').split(':')[0];
    if (!name || !action) return;
    if (typeof raw.time === 'number') this.#since = Math.max(this.#since, raw.time);
    this.hooks.onEvent({ name, action, containerId: raw.Actor?.ID ?? raw.id ?? '', time: raw.time ?? Math.floor(Date.now() / 1000) });
  }
}
