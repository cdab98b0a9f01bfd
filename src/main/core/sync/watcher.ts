import type { SessionInfo } from '../../../shared/contract/sessions';
import { LOCAL } from '../engine/service';
import type { EventBus } from '../events';
import type { SyncService } from './service';

export interface SyncWatcherOptions {
  /** Seconds between syncs while a remote session runs. */
  intervalMs?: number;
  /** Told about failures (the next tick retries; nothing is lost either way). */
  onError?: (session: SessionInfo, error: unknown) => void;
}

interface Watch {
  session: SessionInfo;
  timer: NodeJS.Timeout;
}

/**
 * One watcher per running remote session: syncs every few seconds while it is ready (a tick is
 * skipped while the previous sync still runs, so runs never overlap) and once more after it stops,
 * through a helper container, so the last saves come home. Driven by the sessions' state events, so
 * it starts and stops with the sessions whoever starts or stops them.
 */
export class SyncWatcher {
  readonly #watches = new Map<string, Watch>();
  readonly #intervalMs: number;
  #unsubscribe?: () => void;

  constructor(
    readonly sync: SyncService,
    readonly bus: EventBus,
    readonly options: SyncWatcherOptions = {},
  ) {
    this.#intervalMs = options.intervalMs ?? 5000;
  }

  start(): void {
    this.#unsubscribe ??= this.bus.on('sessionState', (session) => this.#onState(session));
  }

  /** Sessions being watched now (ids). */
  get watching(): string[] {
    return [...this.#watches.keys()];
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const watch of this.#watches.values()) clearInterval(watch.timer);
    this.#watches.clear();
  }

  #onState(session: SessionInfo): void {
    if (session.target === LOCAL) return;
    const watched = this.#watches.get(session.id);
    // From 'starting' on: a tick before Jupyter answers just syncs early (or fails and retries).
    if ((session.state === 'ready' || session.state === 'starting') && !watched) {
      const timer = setInterval(() => this.#tick(session, true), this.#intervalMs);
      timer.unref();
      this.#watches.set(session.id, { session, timer });
    } else if (watched && (session.state === 'stopped' || session.state === 'failed')) {
      clearInterval(watched.timer);
      this.#watches.delete(session.id);
      // The container no longer runs: this sync goes through a helper that mounts the volume.
      this.#tick(session, false);
    }
  }

  #tick(session: SessionInfo, running: boolean): void {
    if (running && this.sync.busy(session.projectDir, session.target)) return;
    const opId = `sync-watch-${session.id}-${Date.now().toString(36)}`;
    this.sync
      .sync({ opId, projectDir: session.projectDir, target: session.target, sessionId: session.id, containerId: running ? session.name : undefined, image: `${session.image.split('@')[0]}@${session.digest}` })
      .catch((error: unknown) => this.options.onError?.(session, error));
  }
}
