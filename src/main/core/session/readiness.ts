import type Docker from 'dockerode';
import type { SessionInfo } from '../../../shared/contract/sessions';
import type { Clock } from '../clock';
import type { EngineService } from '../engine/service';
import { BenchtopError } from '../errors';
import { waitForJupyter } from '../jupyter/ready';
import type { Logger } from '../log/logger';
import type { GpuLeaser, PortAccess } from './adapters';
import type { SessionDirectory } from './directory';
import { fromLabels } from './labels';
import { lastLogLines } from './logs';
import { publishedPort } from './ports';
import { JUPYTER_PORT } from './spec';
import { nameOf, tokenOf } from './state';
import type { SessionTracker } from './tracker';

export interface SessionReadinessDeps {
  engines: EngineService;
  clock: Clock;
  known: SessionTracker;
  directory: SessionDirectory;
  ports: PortAccess;
  gpus: GpuLeaser;
  log: Logger;
  /** How long Jupyter may take to answer after the container starts. */
  readyTimeoutMs?: number;
}

const LOG_LINES_IN_ERRORS = 20;

/** Readiness: a started session is ready when its Jupyter answers with the token; else it failed, and says why. */
export class SessionReadiness {
  /** How long Jupyter may take to answer after the container starts (tests shorten it). */
  timeoutMs: number;
  readonly #d: SessionReadinessDeps;

  constructor(deps: SessionReadinessDeps) {
    this.#d = deps;
    this.timeoutMs = deps.readyTimeoutMs ?? 90_000;
  }

  /** Waits until Jupyter answers with the token; marks the session failed (and says why) when it does not. */
  async waitReady(target: string, inspect: Docker.ContainerInspectInfo, signal: AbortSignal): Promise<SessionInfo> {
    const { engines, known, directory, gpus, log } = this.#d;
    const id = nameOf(inspect);
    const labels = fromLabels(inspect.Config.Labels);
    const token = tokenOf(inspect) ?? '';
    const localPort = await this.#d.ports.localPort(target, publishedPort(inspect, JUPYTER_PORT) ?? labels?.port ?? 0);
    const container = (await engines.docker(target)).getContainer(id);
    try {
      await waitForJupyter(`http://127.0.0.1:${localPort}/`, token, {
        timeoutMs: this.timeoutMs,
        signal,
        lastLogs: () => lastLogLines(container, LOG_LINES_IN_ERRORS, token),
        stillStarting: () => this.#whyNotStarting(target, id, container, token),
      });
    } catch (error) {
      if (error instanceof BenchtopError && error.code !== 'CANCELLED') {
        known.notes.set(id, { state: 'failed', message: error.message, code: error.code });
        // Stopped, not removed: `benchtop logs` still shows what went wrong.
        await container.stop({ t: 2 }).catch((e: unknown) => log.ignored(`stop ${id}, which never answered`, e));
        await gpus.release(id, target).catch((e: unknown) => log.ignored(`free the GPUs of ${id}`, e));
        const after = await directory.inspect(target, id);
        if (after) known.emit(after, target);
      }
      throw error;
    }
    known.notes.delete(id);
    known.live.set(id, { target, token, localPort, startedAt: Date.parse(inspect.State.StartedAt) || this.#d.clock.now(), idleMinutes: labels?.idleMinutes ?? 0 });
    return known.emit(await directory.inspectOrThrow(target, id), target);
  }

  /** Undefined while the container runs; else the error that says why Jupyter will never answer. */
  async #whyNotStarting(target: string, id: string, container: Docker.Container, token: string): Promise<BenchtopError | undefined> {
    const { directory, log } = this.#d;
    let now = await directory.inspect(target, id);
    if (now?.State.Running) return undefined;
    // The engine flags an OOM kill from its own event, which can land just after the exit is
    // visible: a SIGKILL exit (137) without the flag gets one more look before it is judged.
    if (now && !now.State.OOMKilled && now.State.ExitCode === 137) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      now = (await directory.inspect(target, id)) ?? now;
    }
    // Without its logs the error still says how the container ended.
    const logs = await lastLogLines(container, LOG_LINES_IN_ERRORS, token).catch((e: unknown) => log.ignored(`read the last log lines of ${id}`, e) ?? '');
    // Killed by the kernel (flagged by the engine), or failed its own allocation (Python says so).
    if (now?.State.OOMKilled || /MemoryError|Cannot allocate memory|out of memory/i.test(logs)) {
      return new BenchtopError('CONTAINER_OOM', `Session ${id} ran out of memory while Jupyter was starting.`,
        'Raise customizations.benchtop.limits.memory in devcontainer.json (or remove it: hostRequirements are not caps), or free memory on the machine.');
    }
    return new BenchtopError('JUPYTER_NOT_READY',
      `Jupyter's container exited with code ${now?.State.ExitCode ?? '?'} before answering.${logs ? `\nLast log lines:\n${logs}` : ''}`,
      'Check the log above: the project’s jupyter args or the image may be wrong. Your notebooks are untouched.');
  }
}
