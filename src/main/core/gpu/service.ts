import { hostname, userInfo } from 'node:os';
import type Docker from 'dockerode';
import type { GpuInfo, GpuLease } from '../../../shared/contract/hosts';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { EngineService } from '../engine/service';
import { LOCAL } from '../engine/service';
import { BenchtopError } from '../errors';
import { describeLease, LEASE_LABEL, leaseContainerName, leaseFromLabels, leaseLabels } from './lease-labels';
import { gpuId, interpretNvidiaSmi, type CommandOutput, type NvidiaSmiOutcome } from './nvidia-smi';
import { runLocalNvidiaSmi } from './run-nvidia-smi';

/** Runs `nvidia-smi` with NVIDIA_SMI_ARGS on a remote target (the hosts service supplies one over SSH). */
export type RemoteGpuProbe = (target: string) => Promise<CommandOutput>;

/** Where a lease's session stands; `created` is a session still being set up. */
export type SessionState = 'running' | 'created' | 'stopped' | 'gone';
export type SessionStateLookup = (target: string, sessionId: string, docker: Docker) => Promise<SessionState>;

export interface GpuServiceDeps {
  engines: EngineService;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /** nvidia-smi on this computer; replaced in tests of the parser paths only. */
  localProbe?: () => Promise<NvidiaSmiOutcome>;
  remoteProbe?: RemoteGpuProbe;
  sessionState?: SessionStateLookup;
  /** How long a lease may wait for its session container to appear before reap frees it. */
  setupGraceMs?: number;
}

export interface ClaimRequest {
  /** Any this many free GPUs… */
  count?: number;
  /** …or exactly these (UUIDs or indexes). */
  ids?: string[];
  /** The idle rule the lease carries (minutes of inactivity before it is freed; 0 = never). */
  idleMinutes?: number;
}

/** `user@hostname`, the holder shown to everyone sharing a host. */
export function defaultHolder(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep "unknown"
  }
  return `${user}@${hostname()}`;
}

/**
 * A session's container is named after the session id (the sessions service does so), so the
 * lookup is one inspect; the sessions service may plug in its own lookup instead.
 */
export const defaultSessionState: SessionStateLookup = async (_target, sessionId, docker) => {
  try {
    const state = (await docker.getContainer(sessionId).inspect()).State?.Status;
    return state === 'running' || state === 'paused' || state === 'restarting' ? 'running' : state === 'created' ? 'created' : 'stopped';
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return 'gone';
    throw error;
  }
};

const statusOf = (error: unknown) => ((error as { cause?: { statusCode?: number } }).cause?.statusCode ?? (error as { statusCode?: number }).statusCode);

/**
 * GPU inventory and leases on a target (`local` or a host id). Docker never stops two containers
 * from sharing a card; this service does, with leases the engine itself makes atomic.
 */
export class GpuService {
  readonly #deps: GpuServiceDeps;

  constructor(deps: GpuServiceDeps) {
    this.#deps = deps;
  }

  /** The hosts service plugs in nvidia-smi over SSH once it has a connection per host. */
  set remoteProbe(probe: RemoteGpuProbe) {
    this.#deps.remoteProbe = probe;
  }

  /** The sessions service may say how it finds a session's container. */
  set sessionState(lookup: SessionStateLookup) {
    this.#deps.sessionState = lookup;
  }

  /** What nvidia-smi says on a target, as an outcome (no GPU, driver broken, hung…), never a throw. */
  async probe(target = LOCAL): Promise<NvidiaSmiOutcome> {
    if (target === LOCAL) return (this.#deps.localProbe ?? (() => runLocalNvidiaSmi({ env: this.#deps.env })))();
    if (!this.#deps.remoteProbe) {
      return { state: 'error', detail: `GPUs of ${target} cannot be listed: no connection to that host is set up` };
    }
    return interpretNvidiaSmi(await this.#deps.remoteProbe(target));
  }

  /** The target's GPUs; [] where it has none. A broken driver or a hung nvidia-smi is GPU_UNAVAILABLE. */
  async inventory(target = LOCAL): Promise<GpuInfo[]> {
    const outcome = await this.probe(target);
    if (outcome.state === 'ok') return outcome.gpus;
    if (outcome.state === 'none' || outcome.state === 'missing') return [];
    throw new BenchtopError('GPU_UNAVAILABLE', `The GPUs of ${target} cannot be read: ${outcome.detail}.`,
      outcome.state === 'timeout'
        ? 'The NVIDIA driver seems wedged; check `nvidia-smi` on that machine and reboot it if it hangs.'
        : 'Check the NVIDIA driver on that machine (`nvidia-smi` should list the GPUs); reinstall it or reboot after a driver update.');
  }

  async list(target = LOCAL): Promise<GpuLease[]> {
    return (await this.#leases(target)).map((l) => l.lease);
  }

  /**
   * Claims GPUs for a session, all or nothing, and returns their ids (UUIDs where known). Claiming
   * again for the same session is harmless: GPUs it already holds count as won.
   */
  async claim(target: string, want: ClaimRequest, holder: string, sessionId: string, image: string): Promise<string[]> {
    if (!sessionId || !image) throw new BenchtopError('INVALID_ARGUMENT', 'A GPU claim needs a session id and the session image.');
    const ids = [...new Set(want.ids?.filter(Boolean) ?? [])];
    const count = ids.length ? ids.length : want.count ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new BenchtopError('INVALID_ARGUMENT', `Cannot claim ${String(want.count)} GPUs.`, 'Ask for a whole number of GPUs, 1 or more.');
    }
    const inventory = await this.inventory(target);
    if (inventory.length === 0) {
      throw new BenchtopError('GPU_UNAVAILABLE', `${target} has no NVIDIA GPU.`,
        target === LOCAL ? 'Run the session on a GPU host (add one on the Hosts page) or start it without GPUs.' : 'Pick a host with GPUs or start the session without GPUs.');
    }
    const chosen = [...new Set(ids.length ? ids.map((id) => this.#resolve(target, inventory, id)) : inventory.map(gpuId))];
    if (chosen.length < count) {
      throw new BenchtopError('GPU_UNAVAILABLE', `The session asks for ${count} GPUs but ${target} has ${inventory.length}.`,
        'Ask for fewer GPUs or pick a bigger host.');
    }
    let leases = await this.list(target);
    const heldByOthers = (gpu: string) => leases.find((l) => l.gpu === gpu && l.sessionId !== sessionId);
    // Cards still leased to sessions that stopped are freed here, so nobody has to run reap by hand.
    if (chosen.filter((g) => !heldByOthers(g)).length < count) {
      await this.reap(target);
      leases = await this.list(target);
    }
    // Try free cards first; a lease seen now may be gone by the time we create ours, and the engine decides.
    const order = ids.length ? chosen : [...chosen.filter((g) => !heldByOthers(g)), ...chosen.filter((g) => heldByOthers(g))];
    const since = new Date((this.#deps.clock ?? systemClock).now()).toISOString();
    const idleMinutes = want.idleMinutes ?? 0;
    const won: string[] = [];
    const created: string[] = []; // container ids, to roll back
    const lost: GpuLease[] = [];
    try {
      for (const gpu of order) {
        if (won.length === count) break;
        const outcome = await this.#create(target, { gpu, holder, sessionId, since, idleMinutes }, image);
        if (typeof outcome === 'string') {
          created.push(outcome);
          won.push(gpu);
        } else if (outcome.sessionId === sessionId) {
          won.push(gpu);
        } else {
          lost.push(outcome);
          if (ids.length) break;
        }
      }
    } catch (error) {
      await this.#remove(target, created).catch(() => undefined);
      throw error;
    }
    if (won.length < count) {
      await this.#remove(target, created);
      throw new BenchtopError('GPU_BUSY',
        `${target} cannot give ${count} GPU${count > 1 ? 's' : ''} to session ${sessionId}: ${lost.map(describeLease).join('; ') || 'all are held'}.`,
        'Wait for a GPU to be released, ask its holder (`benchtop gpus`), or ask for fewer GPUs.');
    }
    return won;
  }

  /** Frees every GPU a session holds on a target; returns the GPU ids freed. */
  async release(sessionId: string, target = LOCAL): Promise<string[]> {
    const leases = (await this.#leases(target)).filter((l) => l.lease.sessionId === sessionId);
    await this.#remove(target, leases.map((l) => l.containerId));
    return leases.map((l) => l.lease.gpu);
  }

  /**
   * Frees leases whose session has stopped or is gone. A session still being set up (its container
   * not created or not started yet) keeps its lease for a grace period, so reap never races `up`.
   */
  async reap(target = LOCAL): Promise<GpuLease[]> {
    const leases = await this.#leases(target);
    const lookup = this.#deps.sessionState ?? defaultSessionState;
    const now = (this.#deps.clock ?? systemClock).now();
    const grace = this.#deps.setupGraceMs ?? 2 * 60_000;
    const states = new Map<string, SessionState>();
    for (const sessionId of new Set(leases.map((l) => l.lease.sessionId))) {
      states.set(sessionId, await this.#deps.engines.call(target, 'find session', (d) => lookup(target, sessionId, d)));
    }
    const freed = leases.filter(({ lease }) => {
      const state = states.get(lease.sessionId);
      const old = !(now - Date.parse(lease.since) <= grace);
      return state === 'stopped' || ((state === 'gone' || state === 'created') && old);
    });
    // By container id, not name: a card freed and claimed again meanwhile keeps its new lease.
    await this.#remove(target, freed.map((l) => l.containerId));
    return freed.map((l) => l.lease);
  }

  #resolve(target: string, inventory: GpuInfo[], id: string): string {
    const gpu = inventory.find((g) => g.uuid === id || String(g.index) === id);
    if (!gpu) {
      throw new BenchtopError('GPU_UNAVAILABLE', `${target} has no GPU "${id}" (it has ${inventory.map((g) => `${g.index} ${gpuId(g)}`).join(', ')}).`,
        'Use an index or UUID from `benchtop gpus`.');
    }
    return gpuId(gpu);
  }

  async #leases(target: string): Promise<{ lease: GpuLease; containerId: string }[]> {
    const containers = await this.#deps.engines.call(target, 'list GPU leases', (d) =>
      d.listContainers({ all: true, filters: { label: [`${LEASE_LABEL}=1`] } }));
    return containers
      .map((c) => ({ lease: leaseFromLabels(target, c.Labels), containerId: c.Id }))
      .filter((l): l is { lease: GpuLease; containerId: string } => l.lease !== null)
      .sort((a, b) => a.lease.gpu.localeCompare(b.lease.gpu));
  }

  /** Creates the lease container (answering its id); on a name conflict answers the lease that holds the card. */
  async #create(target: string, lease: Omit<GpuLease, 'host'>, image: string): Promise<string | GpuLease> {
    const name = leaseContainerName(lease.gpu);
    try {
      const container = await this.#deps.engines.call(target, 'create GPU lease', (d) =>
        d.createContainer({
          name,
          Image: image,
          Cmd: ['true'],
          Labels: leaseLabels(lease),
          NetworkDisabled: true,
          HostConfig: { NetworkMode: 'none' },
        }));
      return container.id;
    } catch (error) {
      if (statusOf(error) === 404) {
        throw new BenchtopError('IMAGE_NOT_FOUND', `The session image ${image} is not on ${target}; GPU leases are made from it.`,
          'Pull the image on that target first (starting the session does).', { cause: error });
      }
      if (statusOf(error) !== 409) throw error;
    }
    // The engine reserves the name a moment before the winner's container can be inspected.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const holder = await this.#deps.engines.call(target, 'read GPU lease', (d) => d.getContainer(name).inspect()).catch(() => null);
      const found = leaseFromLabels(target, holder?.Config?.Labels);
      if (found) return found;
      if (holder) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { ...lease, host: target, holder: `another container named ${name}`, sessionId: '' };
  }

  async #remove(target: string, containerIds: string[]): Promise<void> {
    for (const id of containerIds) {
      await this.#deps.engines
        .call(target, 'free GPU lease', (d) => d.getContainer(id).remove({ force: true }))
        .catch((error: unknown) => {
          if (statusOf(error) !== 404) throw error;
        });
    }
  }
}
