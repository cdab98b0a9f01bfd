import { hostname, userInfo } from 'node:os';
import type Docker from 'dockerode';
import type { GpuBoard, GpuClaimResult, GpuInfo, GpuLease, GpuNotice, GpuQueueEntry, HostPolicy } from '../../../shared/contract/hosts';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { EngineService } from '../engine/service';
import { LOCAL } from '../engine/service';
import { BenchtopError } from '../errors';
import { OWNER_LABEL, ownerFromLabels, type Owner } from '../identity/owner';
import type { Logger } from '../log/logger';
import { Operation } from '../operation';
import type { AgentConfig } from './agent';
import { AgentKeeper } from './agent-keeper';
import { buildBoard } from './board';
import { assertOwner, checkQuota, expiryOf, leaseSeconds, plural, resolveGpu } from './claim-rules';
import { HostVolumes } from './policy-store';
import { busyCards, readBooks, type GpuBooks } from './books';
import { describeLease, LEASE_LABELS, type LeaseRecordInput } from './lease-labels';
import { gpuId, interpretNvidiaSmi, type CommandOutput, type NvidiaSmiOutcome } from './nvidia-smi';
import { queueEntries } from './queue-labels';
import { readGpuRecords, type GpuRecords } from './records';
import { Limiter } from './limiter';
import { RecordStore } from './record-store';
import { retryRead, retryUnsent } from './retry';
import { runLocalNvidiaSmi } from './run-nvidia-smi';
import { CLAIM_USAGE_COMMAND, parseUsage, USAGE_COMMAND, type GpuUsage } from './usage';
import { sleep } from '../timeout';

/** Runs `nvidia-smi` with NVIDIA_SMI_ARGS on a remote target (the hosts service supplies one over SSH). */
export type RemoteGpuProbe = (target: string) => Promise<CommandOutput>;
/** Runs a shell command on a remote target (the hosts service, over the host's SSH connection). */
export type RemoteExec = (target: string, command: string, timeoutMs: number) => Promise<CommandOutput>;

/** Where a lease's session stands; `created` is a session still being set up. */
export type SessionState = 'running' | 'created' | 'stopped' | 'gone';
export type SessionStateLookup = (target: string, sessionId: string, docker: Docker) => Promise<SessionState>;

export interface GpuServiceDeps {
  engines: EngineService;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /** This install: the holder of every lease it makes. */
  owner?: Owner;
  log?: Logger;
  /** nvidia-smi on this computer; replaced in tests of the parser paths only. */
  localProbe?: () => Promise<NvidiaSmiOutcome>;
  remoteProbe?: RemoteGpuProbe;
  remoteExec?: RemoteExec;
  sessionState?: SessionStateLookup;
  /** How long a lease may wait for its session container to appear before reap frees it (engine clock). */
  setupGraceMs?: number;
  /** How the host's agent is set up on a target; undefined: no agent there (and no queue). */
  agentConfig?: (target: string) => Promise<AgentConfig | undefined>;
  /** Tests of the agent on a shared engine: records carry and see only this scope. */
  scope?: string;
}

export interface ClaimRequest {
  /** Any this many free GPUs… */
  count?: number;
  /** …or exactly these (UUIDs or indexes). */
  ids?: string[];
  /** The idle rule the lease carries (minutes of inactivity before it is freed; 0 = never). */
  idleMinutes?: number;
  /** How long the lease lasts; the host policy's default when absent, never more than its maximum. */
  hours?: number;
  /** `reservation`: cards for use outside a session (`benchtop gpus claim`), kept until expiry or release. */
  kind?: 'session' | 'reservation';
}

/** How often a wait in a host's queue reads the queue (default 1 s). */
export interface QueueWaitOptions {
  pollMs?: number;
}

/** `user@hostname`, the holder shown where no owner is configured. */
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

/** How long a card seen taken is not asked for again by this process (a burst of claims). */
const JUST_TAKEN_MS = 1000;

/**
 * GPU inventory, leases, the queue and the policy on a target (`local` or a host id). Docker never
 * stops two containers from sharing a card; this service does, with leases the engine itself makes
 * atomic. What must hold with every laptop closed (expiry, idle stop, handing the queue its cards)
 * is done by the host's agent (agent.ts starts it); this service reads and writes the same books.
 */
export class GpuService {
  readonly #deps: GpuServiceDeps;
  readonly #usageInFlight = new Map<string, Promise<GpuUsage>>();
  readonly #recordsInFlight = new Map<string, Promise<GpuRecords>>();
  readonly #limiters = new Map<string, Limiter>();
  /** Cards this process just saw taken (409), so a burst of claims does not ask the engine again. */
  readonly #justTaken = new Map<string, { lease: GpuLease; at: number }>();
  readonly #agents: AgentKeeper;
  readonly #volumes: HostVolumes;

  constructor(deps: GpuServiceDeps) {
    this.#deps = deps;
    const owner = () => this.owner;
    this.#agents = new AgentKeeper({ engines: deps.engines, owner, log: deps.log, agentConfig: deps.agentConfig });
    this.#volumes = new HostVolumes({ engines: deps.engines, owner, scope: deps.scope, log: deps.log });
  }

  get owner(): Owner {
    return this.#deps.owner ?? { id: `holder:${defaultHolder()}`, name: defaultHolder() };
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
    return this.#inventoryOf(target, await this.probe(target));
  }

  #inventoryOf(target: string, outcome: NvidiaSmiOutcome): GpuInfo[] {
    if (outcome.state === 'ok') return outcome.gpus;
    if (outcome.state === 'none' || outcome.state === 'missing') return [];
    throw new BenchtopError('GPU_UNAVAILABLE', `The GPUs of ${target} cannot be read: ${outcome.detail}.`,
      outcome.state === 'timeout'
        ? 'The NVIDIA driver seems wedged; check `nvidia-smi` on that machine and reboot it if it hangs.'
        : 'Check the NVIDIA driver on that machine (`nvidia-smi` should list the GPUs); reinstall it or reboot after a driver update.');
  }

  /** Inventory, memory in use and processes per card; concurrent callers share one nvidia-smi run. */
  #usage(target: string, forBoard: boolean): Promise<GpuUsage> {
    const key = `${target}\0${forBoard}`;
    let pending = this.#usageInFlight.get(key);
    if (!pending) {
      pending = (async (): Promise<GpuUsage> => {
        if (target !== LOCAL && this.#deps.remoteExec) {
          const exec = this.#deps.remoteExec;
          return parseUsage(await retryUnsent(() => exec(target, forBoard ? USAGE_COMMAND : CLAIM_USAGE_COMMAND, 15_000)));
        }
        return { outcome: await this.probe(target), memoryUsedMiB: new Map(), processes: new Map() };
      })().finally(() => this.#usageInFlight.delete(key));
      this.#usageInFlight.set(key, pending);
    }
    return pending;
  }

  /**
   * The target's books. Concurrent callers share one read (a burst of claims would otherwise cost a
   * round of engine requests each): the engine's name mutex, not this read, decides who wins a card.
   */
  #records(target: string, what: { notices?: boolean; agent?: boolean } = {}): Promise<GpuRecords> {
    const key = `${target}\0${what.notices ? 'n' : ''}${what.agent ? 'a' : ''}`;
    let pending = this.#recordsInFlight.get(key);
    if (!pending) {
      pending = retryRead(() => this.#deps.engines.call(target, 'read GPU leases', (d) => readGpuRecords(d, this.#deps.scope, what), 30_000))
        .finally(() => this.#recordsInFlight.delete(key));
      this.#recordsInFlight.set(key, pending);
    }
    return pending;
  }

  #store(target: string): RecordStore {
    let limiter = this.#limiters.get(target);
    if (!limiter) this.#limiters.set(target, (limiter = new Limiter(4)));
    return new RecordStore(this.#deps.engines, target, this.#deps.scope, limiter);
  }

  async #books(target: string, withUsage: 'claim' | 'board' | false = 'claim'): Promise<{ books: GpuBooks; records: GpuRecords; usage?: GpuUsage; inventory: GpuInfo[] }> {
    const [usage, records] = await Promise.all([withUsage ? this.#usage(target, withUsage === 'board') : undefined, this.#records(target, { notices: true, agent: true })]);
    const inventory = usage && usage.outcome.state === 'ok' ? usage.outcome.gpus : [];
    return { books: readBooks(target, records, inventory, usage?.processes ?? new Map(), this.owner), records, usage, inventory };
  }

  /** Every lease on the target, with its holder and expiry (engine clock). */
  async list(target = LOCAL): Promise<GpuLease[]> {
    const records = await this.#records(target);
    const books = readBooks(target, records, [], new Map(), this.owner);
    return [...books.leases.values()].map((h) => h.lease).sort((a, b) => a.gpu.localeCompare(b.gpu));
  }

  // -- policy -----------------------------------------------------------------------------------

  policy(target: string): Promise<HostPolicy> {
    return this.#volumes.policy(target);
  }

  /** Sets the fields given (the rest keep their value); the newest policy volume wins, older ones are removed. */
  setPolicy(target: string, change: Partial<HostPolicy>): Promise<HostPolicy> {
    return this.#volumes.setPolicy(target, change);
  }

  // -- claims -----------------------------------------------------------------------------------

  /**
   * Claims GPUs for a session, all or nothing, when its container is about to be created, and
   * returns their ids (UUIDs where known). Claiming again for the same session is harmless: cards
   * it already holds count as won. Without `wait` a claim that cannot be met now is GPU_BUSY; with
   * it, the claim joins the host's queue and resolves when the host's agent grants it.
   */
  async claim(target: string, want: ClaimRequest, sessionId: string, image: string, wait?: Operation, options: QueueWaitOptions = {}): Promise<string[]> {
    const result = await this.claimOrQueue(target, want, sessionId, image, !!wait);
    if (result.status === 'granted') return result.gpus;
    // Queued already (a claim of this session waits there): waiting for it is all there is to do.
    return this.waitForGrant(wait ?? new Operation({ id: `gpu-wait-${sessionId}`, log: this.#deps.log }), target, sessionId, options);
  }

  /** Claims now, or (with `queue`) joins the queue and says where. */
  async claimOrQueue(target: string, want: ClaimRequest, sessionId: string, image: string, queue = false): Promise<GpuClaimResult> {
    if (!sessionId || !image) throw new BenchtopError('INVALID_ARGUMENT', 'A GPU claim needs a session id and the session image.');
    const ids = [...new Set(want.ids?.filter(Boolean) ?? [])];
    const count = ids.length ? ids.length : want.count ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new BenchtopError('INVALID_ARGUMENT', `Cannot claim ${String(want.count)} GPUs.`, 'Ask for a whole number of GPUs, 1 or more.');
    }
    const agent = await this.#agents.ensure(target, image);
    const first = await this.#books(target);
    let { books, records } = first;
    const inventory = this.#inventoryOf(target, first.usage!.outcome);
    if (inventory.length === 0) {
      throw new BenchtopError('GPU_UNAVAILABLE', `${target} has no NVIDIA GPU.`,
        target === LOCAL ? 'Run the session on a GPU host (add one on the Hosts page) or start it without GPUs.' : 'Pick a host with GPUs or start the session without GPUs.');
    }
    const chosen = [...new Set(ids.length ? ids.map((id) => resolveGpu(target, inventory, id)) : inventory.map(gpuId))];
    if (chosen.length < count) {
      throw new BenchtopError('GPU_UNAVAILABLE', `The session asks for ${count} GPUs but ${target} has ${inventory.length}.`,
        'Ask for fewer GPUs or pick a bigger host.');
    }
    const seconds = leaseSeconds(books.policy, want.hours);
    checkQuota(target, books, this.owner, count, sessionId);
    await this.#reassert(target, books);
    const kind = want.kind ?? 'session';
    const input = (gpu: string): LeaseRecordInput => ({
      gpu, owner: this.owner, sessionId, seconds, kind, idleMinutes: want.idleMinutes ?? 0, since: new Date(this.#now()).toISOString(),
    });
    const queueIt = async (why: string): Promise<GpuClaimResult> => {
      if (!queue || !agent) {
        throw new BenchtopError('GPU_BUSY', `${target} cannot give ${plural(count, 'GPU')} to ${sessionId} now: ${why}.`,
          agent ? 'Wait in the queue (`benchtop gpus claim --wait`, or start the session again: it waits), ask a holder (`benchtop gpus`), or ask for fewer GPUs.'
            : 'Wait for a GPU to be released, ask its holder (`benchtop gpus`), or ask for fewer GPUs.');
      }
      await this.#store(target).createQueueEntry({ owner: this.owner, sessionId, count, ids, seconds, kind, idleMinutes: want.idleMinutes ?? 0 }, image);
      const line = await this.queue(target);
      return { status: 'queued', sessionId, position: line.find((e) => e.sessionId === sessionId)?.position ?? line.length };
    };

    const mine = chosen.filter((g) => books.leases.get(g)?.lease.sessionId === sessionId);
    if (mine.length >= count) return { status: 'granted', sessionId, gpus: mine.slice(0, count), expires: expiryOf(books, sessionId) };
    // First come, first served: nobody claims past a queue that waits (or a session already in it).
    const waiting = queueEntries(records.queue, this.owner);
    const ahead = waiting.filter((e) => e.sessionId !== sessionId);
    if (waiting.some((e) => e.sessionId === sessionId)) return { status: 'queued', sessionId, position: waiting.find((e) => e.sessionId === sessionId)!.position };
    if (ahead.length) return queueIt(`${plural(ahead.length, 'claim')} already wait${ahead.length === 1 ? 's' : ''} in its queue`);

    let busy = busyCards(books);
    const isFree = (g: string) => !busy.has(g) || mine.includes(g);
    // Cards still leased to sessions that stopped are freed here, so nobody has to run reap by hand.
    if (chosen.filter(isFree).length < count) {
      if ((await this.reap(target)).length) {
        ({ books, records } = await this.#books(target));
        busy = busyCards(books);
      }
    }
    // Try free cards first; a lease seen now may be gone by the time we create ours, and the engine decides.
    const order = ids.length ? chosen : [...chosen.filter(isFree), ...chosen.filter((g) => !isFree(g))];
    const won = [...mine];
    const created: string[] = [];
    const lost: string[] = [];
    const store = this.#store(target);
    try {
      for (const gpu of order) {
        if (won.length === count) break;
        if (won.includes(gpu)) continue;
        const unleased = books.unleased.get(gpu);
        if (unleased) {
          lost.push(`${gpu} is in use without a lease (${unleased.join(', ')})`);
          if (ids.length) break;
          continue;
        }
        const unrecorded = books.unrecorded.get(gpu);
        if (unrecorded) {
          lost.push(`${gpu} is used by the running session ${unrecorded.session}`);
          if (ids.length) break;
          continue;
        }
        const known = this.#justTaken.get(`${target}\0${gpu}`);
        if (known && Date.now() - known.at < JUST_TAKEN_MS && known.lease.sessionId !== sessionId) {
          lost.push(describeLease(known.lease));
          if (ids.length) break;
          continue;
        }
        const outcome = await store.createLease(input(gpu), image);
        if (typeof outcome !== 'string') this.#justTaken.set(`${target}\0${gpu}`, { lease: outcome, at: Date.now() });
        if (typeof outcome === 'string') {
          created.push(outcome);
          won.push(gpu);
        } else if (outcome.sessionId === sessionId) {
          won.push(gpu);
        } else {
          lost.push(describeLease(outcome));
          if (ids.length) break;
        }
      }
    } catch (error) {
      await store.remove(created).catch((e: unknown) => this.#deps.log?.ignored(`rolling back a failed GPU claim on ${target}`, e));
      throw error;
    }
    if (won.length < count) {
      await store.remove(created);
      return queueIt(lost.join('; ') || 'all are held');
    }
    return { status: 'granted', sessionId, gpus: won, expires: new Date(this.#now() + seconds * 1000).toISOString() };
  }

  /**
   * Waits under `op` until the host's agent grants the session's place in the queue: each new
   * position is `op`'s `gpu-queue` step ("position N of M in the GPU queue of HOST"); cancelling
   * `op` leaves the queue.
   */
  async waitForGrant(op: Operation, target: string, sessionId: string, options: QueueWaitOptions = {}): Promise<string[]> {
    const { signal } = op;
    let lastPosition = 0;
    for (;;) {
      if (signal.aborted) {
        await this.#leaveQueue(target, sessionId);
        throw new BenchtopError('CANCELLED', `Left the GPU queue of ${target}.`, '');
      }
      const records = await this.#records(target);
      const held = records.leases.filter((r) => !r.extension && r.labels[LEASE_LABELS.session] === sessionId).map((r) => r.labels[LEASE_LABELS.gpu]);
      const line = queueEntries(records.queue, this.owner);
      const me = line.find((e) => e.sessionId === sessionId);
      if (!me && held.length) return held.sort();
      if (!me) {
        throw new BenchtopError('GPU_BUSY', `The claim of ${sessionId} is no longer in the GPU queue of ${target} (cancelled, or removed by someone).`,
          'Claim again to join the end of the queue.');
      }
      if (me.position !== lastPosition) {
        lastPosition = me.position;
        op.step('gpu-queue', `position ${me.position} of ${line.length} in the GPU queue of ${target}`);
      }
      await sleep(options.pollMs ?? 1000, signal);
    }
  }

  async #leaveQueue(target: string, sessionId: string): Promise<void> {
    const records = await this.#records(target);
    const store = this.#store(target);
    await store.remove(records.queue.filter((q) => q.labels['dev.benchtop.queue.session'] === sessionId).map((q) => q.containerId));
    // Granted just as we left: give the cards back.
    await store.remove(records.leases.filter((r) => r.labels[LEASE_LABELS.session] === sessionId).map((r) => r.containerId));
  }

  /** The queue of a target, in order. */
  async queue(target: string): Promise<GpuQueueEntry[]> {
    return queueEntries((await this.#records(target)).queue, this.owner);
  }

  /** Leaves the queue (only the claim's owner may). */
  async cancel(target: string, sessionId: string): Promise<{ cancelled: true }> {
    const records = await this.#records(target);
    const entry = records.queue.find((q) => q.labels['dev.benchtop.queue.session'] === sessionId);
    if (!entry) throw new BenchtopError('LEASE_NOT_FOUND', `No claim of ${sessionId} waits in the GPU queue of ${target}.`, 'Run `benchtop gpus queue --target ' + target + '` to see the queue.');
    assertOwner(entry.labels, this.owner, `the queued claim of ${sessionId}`);
    await this.#store(target).remove([entry.containerId]);
    return { cancelled: true };
  }

  /**
   * Extends the session's lease: a new record per card lasting `hours` from now (the policy's lease
   * length by default, never more than its maximum). Only the holder may; an expired lease is gone.
   */
  async extend(target: string, sessionId: string, hours?: number): Promise<GpuLease[]> {
    const { books } = await this.#books(target, false);
    const held = [...books.leases.values()].filter((h) => h.lease.sessionId === sessionId);
    if (!held.length) {
      throw new BenchtopError('LEASE_NOT_FOUND', `${sessionId} holds no GPU on ${target}.`, 'Run `benchtop gpus --target ' + target + '` to see the leases.');
    }
    assertOwner(held[0].base.labels, this.owner, `the lease of ${sessionId}`);
    if (held.some((h) => Date.parse(h.lease.expires ?? '') <= books.engineNow)) {
      throw new BenchtopError('LEASE_EXPIRED', `The lease of ${sessionId} on ${target} has expired; the host's agent is freeing its cards.`,
        'Claim GPUs again (start the session again).');
    }
    const seconds = leaseSeconds(books.policy, hours);
    const store = this.#store(target);
    for (const h of held) {
      const l = h.base.labels;
      await store.createExtension({
        gpu: l[LEASE_LABELS.gpu], owner: this.owner, sessionId, seconds, kind: l[LEASE_LABELS.kind] === 'reservation' ? 'reservation' : 'session',
        idleMinutes: Number(l[LEASE_LABELS.idleMinutes]) || 0, since: new Date(this.#now()).toISOString(),
      }, h.base.image ?? '');
    }
    return (await this.list(target)).filter((l) => l.sessionId === sessionId);
  }

  /** Frees every GPU a session holds on a target (and its place in the queue); returns the GPU ids freed. */
  async release(sessionId: string, target = LOCAL): Promise<string[]> {
    const records = await this.#records(target);
    const mine = records.leases.filter((r) => r.labels[LEASE_LABELS.session] === sessionId);
    const queued = records.queue.filter((q) => q.labels['dev.benchtop.queue.session'] === sessionId);
    await this.#store(target).remove([...mine, ...queued].map((r) => r.containerId));
    return [...new Set(mine.filter((r) => !r.extension).map((r) => r.labels[LEASE_LABELS.gpu]))].sort();
  }

  /** `release` for a person acting by hand: NOT_OWNER for someone else's lease. */
  async releaseOwn(target: string, sessionId: string): Promise<string[]> {
    const records = await this.#records(target);
    const any = records.leases.find((r) => r.labels[LEASE_LABELS.session] === sessionId) ?? records.queue.find((q) => q.labels['dev.benchtop.queue.session'] === sessionId);
    if (!any) throw new BenchtopError('LEASE_NOT_FOUND', `${sessionId} holds no GPU on ${target} and is not in its queue.`, 'Run `benchtop gpus --target ' + target + '` to see the leases.');
    assertOwner(any.labels, this.owner, `the lease of ${sessionId}`);
    return this.release(sessionId, target);
  }

  /**
   * Frees leases whose session has stopped or is gone. A session still being set up (its container
   * not created or not started yet) keeps its lease for a grace period on the engine's clock, so reap
   * never races `up`; reservations are not tied to a container. The host's agent does the same.
   */
  async reap(target = LOCAL): Promise<GpuLease[]> {
    const records = await this.#records(target);
    const books = readBooks(target, records, [], new Map(), this.owner);
    const lookup = this.#deps.sessionState ?? defaultSessionState;
    const grace = this.#deps.setupGraceMs ?? 2 * 60_000;
    const held = [...books.leases.values()].filter((h) => h.lease.kind !== 'reservation');
    const states = new Map<string, SessionState>();
    for (const sessionId of new Set(held.map((h) => h.lease.sessionId))) {
      states.set(sessionId, await this.#deps.engines.call(target, 'find session', (d) => lookup(target, sessionId, d)));
    }
    const freed = held.filter(({ lease, base }) => {
      const state = states.get(lease.sessionId);
      const old = books.engineNow - base.createdMs > grace;
      return state === 'stopped' || ((state === 'gone' || state === 'created') && old);
    });
    const sessions = new Set(freed.map((h) => h.lease.sessionId));
    await this.#store(target).remove(records.leases.filter((r) => sessions.has(r.labels[LEASE_LABELS.session])).map((r) => r.containerId));
    return freed.map((h) => h.lease);
  }

  // -- the board --------------------------------------------------------------------------------

  /** Hosts → GPUs: every card with its holder, expiry and use, the queue, the policy and the agent's notices. */
  async board(target: string): Promise<GpuBoard> {
    const read = await this.#books(target, 'board');
    return buildBoard(target, { ...read, usage: read.usage! }, this.owner);
  }

  /** The agent's notices on a target (one volume list; no nvidia-smi). */
  notices(target: string): Promise<GpuNotice[]> {
    return this.#volumes.notices(target);
  }

  // -- the agent --------------------------------------------------------------------------------

  /**
   * An image already on the target to make records from, for claims that bring none (a reservation
   * by hand): the agent's, or any lease's or session's. Records are never started, so any image does.
   */
  async recordImage(target: string): Promise<string> {
    const records = await this.#records(target, { agent: true });
    const image = records.agent?.image || records.leases.find((r) => r.image)?.image || records.runningSessions[0]?.image;
    if (!image) {
      throw new BenchtopError('IMAGE_NOT_FOUND', `${target} has no Benchtop image yet to record a GPU claim with.`,
        'Start a session on that host once (it pulls the team image), then claim again.');
    }
    return image;
  }

  /**
   * Makes sure the target's agent runs before a session starts there (idle stop and expiry hold with
   * the laptop closed, GPUs or not). The image: any with python3, e.g. the session image.
   */
  prepare(target: string, image: string): Promise<boolean> {
    return this.#agents.ensure(target, image);
  }

  // -- helpers ----------------------------------------------------------------------------------

  #now(): number {
    return (this.#deps.clock ?? systemClock).now();
  }

  /** Cards a running session uses whose lease record vanished get it back, so every client sees them held. */
  async #reassert(target: string, books: GpuBooks): Promise<void> {
    const store = this.#store(target);
    for (const [gpu, s] of books.unrecorded) {
      const owner = ownerFromLabels(s.labels) ?? { id: s.labels[OWNER_LABEL.id] ?? '', name: s.labels['dev.benchtop.user'] ?? 'unknown' };
      const outcome = await store.createLease({
        gpu, owner, sessionId: s.session, seconds: books.policy.leaseHours * 3600, kind: 'session',
        idleMinutes: Number(s.labels['dev.benchtop.idle-minutes']) || 0, since: new Date(books.engineNow).toISOString(),
      }, s.image).catch((error: unknown) => this.#deps.log?.ignored(`re-asserting the lease of ${gpu} for ${s.session} on ${target}`, error));
      if (typeof outcome === 'string') this.#deps.log?.info(`re-asserted the vanished lease of ${gpu} for the running session ${s.session} on ${target}`);
    }
  }
}
