import type { Clock } from '../clock';
import { JupyterClient } from '../jupyter/client';
import { cpuBusy, CPU_MIN_WINDOW_MS, lastActivity, type CpuSample } from '../jupyter/idle-rule';

/** What the idle watcher needs to know about one ready session. */
export interface IdleCandidate {
  id: string;
  target: string;
  idleMinutes: number;
  baseUrl: string;
  token: string;
  startedAt: number;
}

export interface IdleHooks {
  /** Ready sessions with an idle rule (idleMinutes > 0). */
  candidates(): Promise<IdleCandidate[]>;
  /** Stops the session, saying why. */
  stopIdle(id: string, idleMinutes: number): Promise<void>;
  /** When the rule will stop a session if nothing happens, for the UI. */
  setIdleStopAt(id: string, at: number | undefined): void;
  /** The session container's CPU time so far in ns; undefined when it cannot be read (logged by the hook). */
  cpuNs?(c: IdleCandidate): Promise<number | undefined>;
}

/** How often sessions are looked at; a minute's precision is plenty for rules counted in minutes. */
export const IDLE_CHECK_MS = 30_000;

/**
 * Stops sessions whose kernels are all idle and whose last activity (Jupyter's own, from
 * `/api/status`, `/api/kernels` and `/api/terminals`, none of which this watcher's own calls move)
 * is older than their idle minutes. This is the app's view, for the UI's "stops at"; on SSH hosts
 * the host's agent (src/target-agent) enforces the rule with the laptop closed. Notebooks live on the host,
 * so stopping loses nothing but kernel state, which is why busy kernels are never stopped.
 */
export class IdleWatcher {
  #timer: NodeJS.Timeout | undefined;
  /** Session → the CPU sample the next one is compared with (kept until CPU_MIN_WINDOW_MS has passed). */
  readonly #cpu = new Map<string, CpuSample>();
  /** Session → when (session clock) its container was last seen working by its CPU use. */
  readonly #computedAt = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly hooks: IdleHooks,
    private readonly intervalMs = IDLE_CHECK_MS,
  ) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      // A failed pass (engine down) is retried on the next tick; it must not end the timer.
      this.checkNow().catch((error: unknown) => console.warn(`idle check failed: ${error instanceof Error ? error.message : String(error)}`));
    }, this.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One pass over all ready sessions; returns the ids it stopped. */
  async checkNow(): Promise<string[]> {
    const stopped: string[] = [];
    const candidates = await this.hooks.candidates();
    for (const cache of [this.#cpu, this.#computedAt]) {
      for (const id of cache.keys()) if (!candidates.some((c) => c.id === id)) cache.delete(id);
    }
    for (const c of candidates) {
      const client = new JupyterClient(c.baseUrl, c.token);
      let last: number;
      try {
        const [status, kernels, terminals] = await Promise.all([client.status(), client.kernels(), client.terminals()]);
        last = lastActivity(status, kernels, c.startedAt, this.clock.now(), terminals);
      } catch {
        continue; // Jupyter not answering is the events stream's business, not idleness
      }
      last = Math.max(last, await this.#computing(c));
      const stopAt = last + c.idleMinutes * 60_000;
      if (this.clock.now() >= stopAt) {
        this.hooks.setIdleStopAt(c.id, undefined);
        await this.hooks.stopIdle(c.id, c.idleMinutes);
        stopped.push(c.id);
      } else {
        this.hooks.setIdleStopAt(c.id, stopAt);
      }
    }
    return stopped;
  }

  /** When the session's container was last seen working by its CPU use (0: never). */
  async #computing(c: IdleCandidate): Promise<number> {
    const ns = await this.hooks.cpuNs?.(c);
    if (ns !== undefined) {
      const sample = { atMs: performance.now(), ns };
      const before = this.#cpu.get(c.id);
      if (!before || sample.atMs - before.atMs >= CPU_MIN_WINDOW_MS || sample.ns < before.ns) {
        if (before && cpuBusy(before, sample)) this.#computedAt.set(c.id, this.clock.now());
        this.#cpu.set(c.id, sample);
      }
    }
    return this.#computedAt.get(c.id) ?? 0;
  }
}
