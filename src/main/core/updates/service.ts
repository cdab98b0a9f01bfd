import type { UpdateCheck, UpdateRestart } from '../../../shared/contract/updates';
import { BenchtopError } from '../errors';
import type { Logger } from '../log/logger';
import { checkFeedUrl, compareVersions, fetchRelease } from './feed';

export interface UpdateServiceDeps {
  /** This app's version. */
  version: string;
  /** The update URL and where it was set: the user's setting, else the team file's; undefined: none. */
  feed: () => Promise<{ url: string; from: string } | undefined>;
  /** What is running now that a restart would cut off (notebook syncs, moves), in words; empty: nothing. */
  busy: () => string[];
  platform?: NodeJS.Platform;
  fetch?: typeof fetch;
  log: Logger;
}

const IDLE_POLL_MS = 2_000;

/**
 * The app's self-update, decided here in plain Node (the Electron part only downloads and installs):
 * whether the feed has a newer version, and whether a restart may happen now — never while a sync
 * or a move runs, since a restart in the middle would leave a half-copied project.
 */
export class UpdateService {
  readonly #d: UpdateServiceDeps;

  constructor(deps: UpdateServiceDeps) {
    this.#d = deps;
  }

  /** The feed URL to hand electron-updater, validated; undefined when none is set. */
  async feedUrl(): Promise<string | undefined> {
    const feed = await this.#d.feed();
    return feed ? checkFeedUrl(feed.url, feed.from).href : undefined;
  }

  async check(): Promise<UpdateCheck> {
    const feed = await this.#d.feed();
    if (!feed) return { current: this.#d.version, available: false, configured: false };
    const base = checkFeedUrl(feed.url, feed.from);
    const release = await fetchRelease(base, this.#d.platform ?? process.platform, this.#d.fetch);
    const available = compareVersions(release.version, this.#d.version) > 0;
    this.#d.log.info('update check', { current: this.#d.version, latest: release.version, available });
    const answer: UpdateCheck = { current: this.#d.version, latest: release.version, available, configured: true, url: base.href, from: feed.from };
    if (release.releaseDate) answer.releaseDate = release.releaseDate;
    return answer;
  }

  /** May the app restart to install now? Not while a sync or move runs: it says which. */
  restartNow(): UpdateRestart {
    const waitingFor = this.#d.busy();
    return { allowed: waitingFor.length === 0, waitingFor };
  }

  /** Resolves once nothing blocks a restart (a sync or move that is running finishes first). */
  async whenIdle(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new BenchtopError('CANCELLED', 'The restart was cancelled.');
      const { allowed, waitingFor } = this.restartNow();
      if (allowed) return;
      this.#d.log.info('update restart waits', { waitingFor });
      await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
    }
  }
}
