import type { GpuNotice } from '../../../shared/contract/hosts';
import type { Logger } from '../log/logger';

export interface NoticeWatcherDeps {
  /** The hosts to watch (read each pass: hosts are added and removed while the app runs). */
  targets(): string[];
  /** The agent's notices on a target (GpuService.board's, or a lighter read). */
  notices(target: string): Promise<GpuNotice[]>;
  /** Shows one notice: the app's event to the UI and a desktop notification. */
  show(notice: GpuNotice): void;
  log?: Logger;
  intervalMs?: number;
}

/**
 * Tells this install's holder what the hosts' agents say about their sessions and leases (a lease
 * about to expire, an idle stop coming, a session stopped), each notice once. The agents decide and
 * act on the host; this only relays, so a closed laptop misses warnings, never the stop itself.
 */
export class GpuNoticeWatcher {
  readonly #seen = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: NoticeWatcherDeps) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.checkNow(), this.deps.intervalMs ?? 15_000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One pass; answers the notices shown now. */
  async checkNow(): Promise<GpuNotice[]> {
    const shown: GpuNotice[] = [];
    for (const target of this.deps.targets()) {
      let notices: GpuNotice[];
      try {
        notices = await this.deps.notices(target);
      } catch (error) {
        // An unreachable host: its session list says so; the next pass tries again.
        this.deps.log?.debug(`GPU notices of ${target} not read`, { error });
        continue;
      }
      for (const n of notices) {
        const key = `${n.target}\0${n.kind}\0${n.sessionId ?? n.gpu ?? ''}\0${n.at}`;
        if (!n.mine || this.#seen.has(key)) continue;
        this.#seen.add(key);
        this.deps.show(n);
        shown.push(n);
      }
    }
    return shown;
  }
}
