import type { ClusterSession } from '../../../shared/contract/clusters';
import type { Core } from '../core';
import { BenchtopError } from '../errors';
import { JupyterClient } from '../jupyter/client';

/** How often a followed session is read while Slurm holds it or its notebook comes up. */
const POLL_MS = 2_000;
/** Read failures in a row before a session is no longer followed (the cluster is down, the key changed…). */
const MAX_FAILURES = 15;

const settled = (s: ClusterSession) => s.state === 'ready' || s.state === 'ended' || s.state === 'failed';
const sameView = (a: ClusterSession, b: ClusterSession) =>
  a.state === b.state && a.jobState === b.jobState && a.reason === b.reason && a.position === b.position && a.nodes === b.nodes && a.endsAt === b.endsAt;

/**
 * Follows this install's own cluster sessions from the app (an adapter over SlurmService, whose
 * `up` either returns at once or blocks until ready): reads the job every few seconds, tells the
 * renderer each change as a `clusterSessionState` event, and when a session that had to wait in
 * Slurm's queue gets its notebook answering, says so with a desktop notification. What must hold
 * with the laptop closed (the job's --time, its idle rule) runs in the job itself, not here.
 */
export class ClusterFollower {
  readonly #core: Core;
  readonly #following = new Set<string>();
  #closed = false;

  constructor(core: Core) {
    this.#core = core;
  }

  /** Starts following `info` unless it is someone else's, already settled, or already followed. */
  follow(info: ClusterSession): void {
    if (this.#closed || !info.mine || settled(info) || this.#following.has(info.id)) return;
    this.#following.add(info.id);
    const log = this.#core.log.child('slurm-follow');
    void this.#loop(info)
      .catch((error: unknown) => log.ignored(`following cluster session ${info.id}`, error))
      .finally(() => this.#following.delete(info.id));
  }

  /** Stops every loop at its next turn. */
  close(): void {
    this.#closed = true;
  }

  /**
   * A running session of yours as ready when its notebook answers through the login node, with
   * its local URL; as it was (starting) while the job has not published its server yet.
   */
  async probe(info: ClusterSession): Promise<ClusterSession> {
    if (!info.mine || (info.state !== 'starting' && info.state !== 'ready')) return info;
    let opened: ClusterSession;
    try {
      opened = await this.#core.slurm.open(info.id);
    } catch (error) {
      if (error instanceof BenchtopError && error.code === 'JUPYTER_NOT_READY') return { ...info, state: 'starting' };
      throw error;
    }
    const token = opened.url ? new URL(opened.url).searchParams.get('token') : null;
    if (!opened.hostPort || !token) return { ...info, state: 'starting' };
    const answers = await new JupyterClient(`http://127.0.0.1:${opened.hostPort}/`, token).status(2_000).then(() => true, () => false);
    return answers ? opened : { ...info, state: 'starting', url: undefined, hostPort: undefined };
  }

  async #loop(first: ClusterSession): Promise<void> {
    const log = this.#core.log.child('slurm-follow');
    let last = first;
    let waited = first.state === 'pending';
    let failures = 0;
    while (!this.#closed) {
      await pause(POLL_MS);
      let now: ClusterSession;
      try {
        now = await this.probe(await this.#core.slurm.get(first.id));
        failures = 0;
      } catch (error) {
        if (error instanceof BenchtopError && error.code === 'SLURM_JOB_NOT_FOUND') {
          this.#core.bus.emit('clusterSessionState', { ...last, state: 'ended', jobState: 'GONE', message: 'ended: the cluster no longer lists it', url: undefined });
          return;
        }
        failures += 1;
        log.warn(`reading cluster session ${first.id} failed (${failures} in a row)`, { error: String(error) });
        if (failures >= MAX_FAILURES) throw error;
        continue;
      }
      if (!sameView(now, last)) this.#core.bus.emit('clusterSessionState', now);
      if (now.state === 'pending') waited = true;
      if (now.state === 'ready' && waited) {
        this.#core.desktop.notify?.(`Benchtop · ${now.target}`, `Your session ${now.projectName} started on ${now.nodes} (job ${now.jobId}): its notebook is ready.`);
      } else if (now.state === 'failed') {
        this.#core.desktop.notify?.(`Benchtop · ${now.target}`, `Your session ${now.projectName} (job ${now.jobId}) ${now.message ?? 'failed'}.`);
      }
      last = now;
      if (settled(now)) return;
    }
  }
}

/** A wait that never keeps the process alive by itself (the CLI and tests exit when done). */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
