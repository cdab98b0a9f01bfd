import type { SessionInfo, SessionSyncError } from '../../../shared/contract/sessions';
import { LOCAL } from '../engine/service';
import { BenchtopError } from '../errors';
import type { EventBus } from '../events';
import type { Operations } from '../operations';
import type { SyncService } from './service';
import { sessionImageRef } from './session-sync';

export interface SyncWatcherOptions {
  /** Seconds between syncs while a remote session runs. */
  intervalMs?: number;
  /** Told about failures (the next tick retries; nothing is lost either way). */
  onError?: (session: SessionInfo, error: unknown) => void;
  /**
   * Told after every sync how the session's syncing stands: failing (since when, the latest error)
   * or fine (`undefined`), so the session can show it. Cancelled syncs tell nothing.
   */
  onStatus?: (session: SessionInfo, error: SessionSyncError | undefined) => void;
  now?: () => number;
}

/** Where a watcher's syncs get their Operation (the core's `ops`: its bus, its logger). */
export type OperationFactory = Pick<Operations, 'create'>;

interface Watch {
  session: SessionInfo;
  timer: NodeJS.Timeout;
}

/**
 * One watcher per running remote session: syncs every few seconds while it is ready (a tick is
 * skipped while the previous sync still runs, so runs never overlap) and once more after it stops,
 * through a helper container, so the last saves come home; that last sync is retried on the same
 * interval until it succeeds or the session runs again. Driven by the sessions' state events, so
 * it starts and stops with the sessions whoever starts or stops them. A failing sync is reported
 * through `onStatus` (first failure's time, latest error) until one succeeds again.
 */
export class SyncWatcher {
  readonly #watches = new Map<string, Watch>();
  /** Final syncs of stopped sessions waiting for their next try. */
  readonly #finals = new Map<string, NodeJS.Timeout>();
  /** Sessions whose last sync failed: since when. */
  readonly #failingSince = new Map<string, string>();
  readonly #intervalMs: number;
  #unsubscribe?: () => void;
  #closed = false;
  /** Cancels the syncs under way when the watcher closes. */
  #abort = new AbortController();

  constructor(
    readonly sync: SyncService,
    readonly bus: EventBus,
    readonly ops: OperationFactory,
    readonly options: SyncWatcherOptions = {},
  ) {
    this.#intervalMs = options.intervalMs ?? 5000;
  }

  start(): void {
    if (this.#closed) this.#abort = new AbortController();
    this.#closed = false;
    this.#unsubscribe ??= this.bus.on('sessionState', (session) => this.#onState(session));
  }

  /** Sessions being watched now (ids). */
  get watching(): string[] {
    return [...this.#watches.keys()];
  }

  close(): void {
    this.#closed = true;
    this.#abort.abort();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const watch of this.#watches.values()) clearInterval(watch.timer);
    this.#watches.clear();
    for (const timer of this.#finals.values()) clearTimeout(timer);
    this.#finals.clear();
  }

  #onState(session: SessionInfo): void {
    // Someone else's session on a shared host is theirs to sync (their notebooks, their volume).
    if (session.target === LOCAL || !session.mine) return;
    const watched = this.#watches.get(session.id);
    if (session.state === 'pulling' || session.state === 'starting' || session.state === 'ready') this.#cancelFinal(session.id);
    // From 'starting' on: a tick before Jupyter answers just syncs early (or fails and retries).
    if ((session.state === 'ready' || session.state === 'starting') && !watched) {
      const timer = setInterval(() => void this.#tick(session, true), this.#intervalMs);
      timer.unref();
      this.#watches.set(session.id, { session, timer });
    } else if (watched && (session.state === 'stopped' || session.state === 'failed')) {
      clearInterval(watched.timer);
      this.#watches.delete(session.id);
      // The container no longer runs: this sync goes through a helper that mounts the volume.
      void this.#final(session);
    }
  }

  /** The sync after the session stopped, tried again every interval until the last saves are home. */
  async #final(session: SessionInfo): Promise<void> {
    this.#finals.delete(session.id);
    const done = await this.#tick(session, false);
    if (done || this.#closed || this.#watches.has(session.id)) return;
    const timer = setTimeout(() => void this.#final(session), this.#intervalMs);
    timer.unref();
    this.#finals.set(session.id, timer);
  }

  #cancelFinal(id: string): void {
    const timer = this.#finals.get(id);
    if (timer) clearTimeout(timer);
    this.#finals.delete(id);
  }

  /** One sync; false when it failed (cancelled ones count as done: whoever cancelled wants no retry). */
  async #tick(session: SessionInfo, running: boolean): Promise<boolean> {
    if (running && this.sync.busy(session.projectDir, session.target)) return true;
    const opId = `sync-watch-${session.id}-${Date.now().toString(36)}`;
    try {
      // Never confirms deletions: a bulk one stops with SYNC_MASS_DELETE, shown on the session card
      // until the user says yes (the card's sync, the CLI's --yes). waitMs 0: when `benchtop sync`
      // in a terminal holds the lock, this tick is simply skipped.
      await this.sync.sync(this.ops.create(opId, this.#abort.signal), { projectDir: session.projectDir, target: session.target, sessionId: session.id, containerId: running ? session.name : undefined, image: sessionImageRef(session), waitMs: 0 });
    } catch (error) {
      if (error instanceof BenchtopError && error.code === 'CANCELLED') return true;
      // Another process is syncing the same project and target right now: its sync carries the
      // changes; a periodic tick skips, the final sync tries again on the next interval.
      if (error instanceof BenchtopError && error.code === 'SYNC_BUSY') return running;
      this.options.onError?.(session, error);
      this.#report(session, error);
      return false;
    }
    this.#report(session, undefined);
    return true;
  }

  #report(session: SessionInfo, error: unknown): void {
    if (error === undefined) {
      this.#failingSince.delete(session.id);
      this.options.onStatus?.(session, undefined);
      return;
    }
    let since = this.#failingSince.get(session.id);
    if (!since) {
      since = new Date(this.options.now?.() ?? Date.now()).toISOString();
      this.#failingSince.set(session.id, since);
    }
    const code = error instanceof BenchtopError ? error.code : 'SYNC_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    this.options.onStatus?.(session, { code, message, since, retryEveryMs: this.#intervalMs });
  }
}
