import type { SessionSyncError } from '../../../shared/contract/sessions';
import type { Clock } from '../clock';
import { LOCAL, type EngineService } from '../engine/service';
import { BenchtopError } from '../errors';
import type { Logger } from '../log/logger';
import type { Operation } from '../operation';
import type { SessionDirectory } from './directory';
import { SessionEventWatcher, type ContainerEvent } from './events';
import { IdleWatcher } from './idle';
import { fromLabels } from './labels';
import { streamLogs } from './logs';
import { processOomMessage, tokenOf } from './state';
import { watchStats } from './stats';
import type { SessionTracker } from './tracker';

export interface SessionMonitorDeps {
  engines: EngineService;
  clock: Clock;
  known: SessionTracker;
  directory: SessionDirectory;
  log: Logger;
  /** The idle rule's action: stop a session of mine that sat idle for `minutes`. */
  stopIdle(id: string, minutes: number): Promise<void>;
}

/**
 * Monitoring: each target's engine events turned into live session states, the idle rule, the sync
 * watcher's verdicts, and the streams a user follows (logs, stats) as operation events.
 */
export class SessionMonitor {
  readonly idle: IdleWatcher;
  readonly #d: SessionMonitorDeps;
  readonly #watchers = new Map<string, SessionEventWatcher>();

  constructor(deps: SessionMonitorDeps) {
    this.#d = deps;
    const { known } = deps;
    this.idle = new IdleWatcher(deps.clock, {
      candidates: async () => known.idleCandidates(),
      stopIdle: (id, minutes) => deps.stopIdle(id, minutes),
      setIdleStopAt: (id, at) => (at === undefined ? known.idleStopAt.delete(id) : known.idleStopAt.set(id, at)),
      cpuNs: async (c) => {
        try {
          // one-shot: the engine answers from one sample instead of waiting a second for a second one.
          const stats = await deps.engines.call(c.target, `read the CPU use of ${c.id}`,
            (d) => d.getContainer(c.id).stats({ stream: false, 'one-shot': true } as { stream: false }));
          const ns = stats.cpu_stats?.cpu_usage?.total_usage;
          return typeof ns === 'number' ? ns : undefined;
        } catch (error) {
          deps.log.ignored(`read the CPU use of ${c.id} for its idle rule (Jupyter's activity alone decides this pass)`, error);
          return undefined;
        }
      },
    });
  }

  /**
   * Starts following a target's engine events (and the idle rule). Idempotent; `up` and `list` call
   * it, and the app may call it at start-up so sessions found from labels get their idle rule at once.
   */
  async watch(target = LOCAL): Promise<void> {
    let watcher = this.#watchers.get(target);
    if (!watcher) {
      const { engines, known, directory } = this.#d;
      watcher = new SessionEventWatcher(engines, target, {
        onEvent: (e) => void this.#onEngineEvent(target, e),
        reconcile: async () => {
          try {
            known.reconcile(target, await directory.listTarget(target));
          } catch (error) {
            this.#d.log.ignored(`compare the sessions on ${target} with the engine's list after (re)connecting`, error);
          }
        },
        onEngineLost: (error) => known.engineLost(target, error instanceof BenchtopError ? error.message : String(error)),
      });
      this.#watchers.set(target, watcher);
      this.idle.start();
    }
    await watcher.start();
  }

  /** The sync watcher says a remote session's notebooks stopped syncing (or sync again): shown on the session. */
  syncStatus(id: string, error: SessionSyncError | undefined): void {
    this.#d.known.syncStatus(id, error);
  }

  close(): void {
    for (const watcher of this.#watchers.values()) watcher.stop();
    this.#watchers.clear();
    this.idle.stop();
  }

  /** Sends `sessionLog` events on `op` until it is cancelled (follow) or the log ends. */
  async logs(op: Operation, id: string, follow: boolean, tail: number | undefined): Promise<{ lines: number }> {
    // Logs show what the owner's notebooks print: theirs alone.
    const { target, inspect } = await this.#d.directory.findMine(id, 'read the logs of');
    const docker = await this.#d.engines.docker(target);
    const lines = await streamLogs(docker.getContainer(id), {
      follow, tail, signal: op.signal, token: tokenOf(inspect),
      onLines: (batch) => op.progress('sessionLog', { lines: batch }),
    });
    return { lines };
  }

  /** Sends `sessionStats` events on `op` until it is cancelled. */
  async watchStats(op: Operation, id: string): Promise<void> {
    const { target } = await this.#d.directory.findMine(id, 'watch');
    const docker = await this.#d.engines.docker(target);
    await watchStats(docker.getContainer(id), id, op.signal, (s) => op.progress('sessionStats', s));
  }

  async #onEngineEvent(target: string, event: ContainerEvent): Promise<void> {
    const { known, directory, log } = this.#d;
    if (!['start', 'die', 'oom', 'stop', 'destroy', 'restart'].includes(event.action)) return;
    if (event.action === 'destroy') {
      known.removed(event.name, 'Removed.', event.containerId);
      return;
    }
    // `oom` alone is not an end: the kernel (or another process) was killed, the container lives on.
    if (event.action === 'die') known.live.delete(event.name);
    const inspect = await directory.inspect(target, event.name).catch((e: unknown) => log.ignored(`inspect ${event.name} on ${target} after a ${event.action} event`, e));
    if (!inspect) return;
    if (event.action === 'oom' && inspect.State.Running && known.notes.get(event.name)?.state !== 'stopping') {
      const labels = fromLabels(inspect.Config.Labels);
      known.notes.set(event.name, { ...known.notes.get(event.name), message: processOomMessage(inspect, labels?.projectDir ?? '') });
    }
    // A start we did not ask for (or after an app restart): ready once Jupyter answers.
    if (event.action === 'start' && !known.live.has(event.name)) await directory.probe(target, inspect).catch((e: unknown) => log.ignored(`probe a session on ${target}`, e));
    known.emit(inspect, target);
  }
}
