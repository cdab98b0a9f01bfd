import type Docker from 'dockerode';
import type { SessionInfo } from '../../../shared/contract/sessions';
import type { Clock } from '../clock';
import { LOCAL, type EngineService } from '../engine/service';
import { BenchtopError } from '../errors';
import { JupyterClient } from '../jupyter/client';
import type { Logger } from '../log/logger';
import type { SettingsStore } from '../settings/store';
import type { PortAccess } from './adapters';
import { fromLabels, SESSION_FILTER } from './labels';
import { notOwner, ownerOf } from './ownership';
import { publishedPort } from './ports';
import { JUPYTER_PORT } from './spec';
import { nameOf, tokenOf } from './state';
import type { LiveSession, SessionTracker } from './tracker';

export interface SessionDirectoryDeps {
  engines: EngineService;
  settings: SettingsStore;
  clock: Clock;
  known: SessionTracker;
  ports: PortAccess;
  log: Logger;
}

export interface FoundSession {
  target: string;
  inspect: Docker.ContainerInspectInfo;
}

/**
 * The directory of sessions: finds them on every target by their labels, says whose they are, and
 * describes them (probing Jupyter for a session of mine this process has not seen ready yet).
 */
export class SessionDirectory {
  readonly #d: SessionDirectoryDeps;

  constructor(deps: SessionDirectoryDeps) {
    this.#d = deps;
  }

  targets(): string[] {
    // A Slurm cluster's sessions are jobs (core.slurm), not containers on an engine there.
    return [LOCAL, ...this.#d.settings.get('hosts').filter((h) => h.kind !== 'slurm').map((h) => h.id)];
  }

  /**
   * Every target's sessions, side by side: a slow or unreachable host costs its own timeout, not the
   * sum of all. `listed` runs for each target that answered (the monitor starts watching it).
   */
  async list(listed: (target: string) => Promise<void>): Promise<SessionInfo[]> {
    const perTarget = await Promise.all(this.targets().map(async (target) => {
      try {
        const found = await this.listTarget(target);
        await listed(target);
        return found;
      } catch (error) {
        if (target === LOCAL) throw error;
        // An unreachable host must not hide the sessions on this computer.
        this.#d.log.debug(`sessions on ${target} not listed`, { error });
        return [];
      }
    }));
    return perTarget.flat();
  }

  async listTarget(target: string): Promise<SessionInfo[]> {
    const items = await this.#d.engines.call(target, 'list sessions', (d) =>
      d.listContainers({ all: true, filters: { label: [SESSION_FILTER] } }));
    const inspected = await Promise.all(items.map((c) => this.inspect(target, c.Id)));
    const infos = await Promise.all(inspected.filter((i): i is Docker.ContainerInspectInfo => !!i).map((i) => this.describe(target, i)));
    return infos.filter((i): i is SessionInfo => !!i);
  }

  /** Describes a session, asking Jupyter whether it answers when this process has not seen it ready yet. */
  async describe(target: string, inspect: Docker.ContainerInspectInfo): Promise<SessionInfo> {
    const { known, log } = this.#d;
    const id = nameOf(inspect);
    if (!known.live.has(id) && inspect.State.Running && known.notes.get(id)?.state !== 'stopping') {
      await this.probe(target, inspect).catch((e: unknown) => log.ignored(`probe a session on ${target}`, e));
    }
    return known.describe(inspect, target);
  }

  /**
   * A session of mine found running after an app restart: ready when Jupyter answers its token.
   * Someone else's is never probed: that would read their token, and make it a candidate for this
   * install's idle rule.
   */
  async probe(target: string, inspect: Docker.ContainerInspectInfo): Promise<LiveSession | undefined> {
    const { known } = this.#d;
    if (!known.isMine(inspect, target)) return undefined;
    const labels = fromLabels(inspect.Config.Labels);
    const token = tokenOf(inspect);
    if (!labels || !token) return undefined;
    const remotePort = publishedPort(inspect, JUPYTER_PORT) ?? labels.port;
    if (!remotePort) return undefined;
    const localPort = await this.#d.ports.localPort(target, remotePort);
    await new JupyterClient(`http://127.0.0.1:${localPort}/`, token).status(1000);
    const live: LiveSession = { target, token, localPort, startedAt: Date.parse(inspect.State.StartedAt) || this.#d.clock.now(), idleMinutes: labels.idleMinutes };
    known.live.set(nameOf(inspect), live);
    return live;
  }

  async find(id: string): Promise<FoundSession> {
    const known = this.#d.known.targetOf(id);
    const order = known ? [known, ...this.targets().filter((t) => t !== known)] : this.targets();
    for (const target of order) {
      const inspect = await this.inspect(target, id).catch((error: unknown) => {
        if (target === LOCAL) throw error;
        // An unreachable host cannot hold it as far as this search goes: look on the next target.
        this.#d.log.debug(`session ${id} not looked for on ${target}`, { error });
        return undefined;
      });
      if (inspect && fromLabels(inspect.Config.Labels)) return { target, inspect };
    }
    throw new BenchtopError('SESSION_NOT_FOUND', `There is no session "${id}".`, 'Run `benchtop ps` to see the sessions and their ids.');
  }

  /** `find`, for acting on the session: NOT_OWNER unless this install owns it. */
  async findMine(id: string, verb: string): Promise<FoundSession> {
    const found = await this.find(id);
    if (!this.#d.known.isMine(found.inspect, found.target)) throw notOwner(id, ownerOf(found.inspect.Config.Labels), verb);
    return found;
  }

  async inspect(target: string, id: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await this.#d.engines.call(target, 'inspect', (d) => d.getContainer(id).inspect());
    } catch (error) {
      if (error instanceof BenchtopError && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  async inspectOrThrow(target: string, id: string): Promise<Docker.ContainerInspectInfo> {
    const inspect = await this.inspect(target, id);
    if (!inspect) throw new BenchtopError('SESSION_NOT_FOUND', `Session ${id} disappeared from the engine on ${target}.`, 'Someone removed it; start the project again.');
    return inspect;
  }
}
