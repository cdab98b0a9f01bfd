import type { ExecHost } from './exec-host';
import { once } from 'node:events';
import { BenchtopError } from '../errors';
import type { ExecInput } from './container-exec';
import { REMOTE_AGENT_SCRIPT, REMOTE_HASH_SCRIPT } from './remote-agent-script';
import { REMOTE_APPLY_SCRIPT } from './remote-apply-script';
import { REMOTE_SCAN_SCRIPT } from './remote-scan-script';

export type AgentRun = 'scan' | 'apply' | 'hash';

/** An idle helper process is ended after this long (the session watcher syncs every few seconds). */
export const AGENT_IDLE_MS = 120_000;
/** How often a request that has not been answered yet asks whether its container can answer at all. */
const STUCK_CHECK_MS = 5000;
/** Input is sent in pieces of at most this size: each piece is one write through HTTP and SSH. */
const INPUT_CHUNK = 256 * 1024;
const REQUEST_HEAD = Buffer.from('BTREQ\n', 'latin1');
const INPUT_END = Buffer.alloc(4);

type Hijacked = NodeJS.ReadWriteStream & { destroy(error?: Error): void; ref?(): void; unref?(): void };

/**
 * The other end of remote-agent-script.ts: one exec into a running container that stays open and
 * runs the sync's scripts on request, one request at a time. Once it fails, stops or is cut off
 * it is dead for good (`alive` false): the pool starts a new one for the next request.
 */
export class SyncAgent {
  #alive = true;
  #stderr = '';
  #parts: Buffer[] = [];
  #held = 0;
  /** The answer being read: its status and length, once its 9-byte head is in. */
  #head?: { status: number; size: number };
  #answer?: { resolve(status: number, payload: Buffer): void; fail(error: Error): void };
  #queue: Promise<unknown> = Promise.resolve();
  #idle?: NodeJS.Timeout;
  /** Requests answered so far (a fresh agent has 0). */
  answered = 0;
  /** It said (in an answer) that it runs as root and may run a request as another user (`as`). */
  canBecome = false;

  private constructor(private readonly stream: Hijacked, private readonly onDead: () => void,
    /** Why the place cannot answer now (a paused container), asked while a request waits. */
    private readonly stuck: () => Promise<string | undefined>) {
    stream.on('end', () => this.#die());
    stream.on('close', () => this.#die());
    stream.on('error', (error: Error) => this.#die(error));
    this.#rest();
  }

  /** Starts the helper process in `container` as `user` (`uid:gid`). */
  static async start(container: ExecHost, user: string, onDead: () => void): Promise<SyncAgent> {
    const exec = await container.exec({
      Cmd: ['python3', '-S', '-c', REMOTE_AGENT_SCRIPT, REMOTE_SCAN_SCRIPT, REMOTE_APPLY_SCRIPT, REMOTE_HASH_SCRIPT],
      AttachStdin: true, AttachStdout: true, AttachStderr: true, User: user,
    });
    const stream = (await exec.start({ hijack: true, stdin: true })) as Hijacked;
    const agent = new SyncAgent(stream, onDead, () => whyStuck(container));
    const sink = (write: (chunk: Buffer) => void) => ({ write: (chunk: Buffer) => (write(chunk), true) }) as unknown as NodeJS.WritableStream;
    container.modem.demuxStream(stream, sink((chunk) => agent.#stdout(chunk)), sink((chunk) => {
      agent.#stderr = (agent.#stderr + chunk.toString('utf8')).slice(-4000);
    }));
    return agent;
  }

  get alive(): boolean {
    return this.#alive;
  }

  /** Ends the helper process (its stdin closes and it exits); a request under way fails. */
  close(): void {
    this.#die();
  }

  /**
   * Runs one script with `argv` and `input` as its stdin, and resolves with its output. A cancel
   * ends the helper process (a script reading its input then stops as if cut off).
   */
  request(run: AgentRun, argv: string[], step: string, input?: ExecInput, signal?: AbortSignal, as?: string): Promise<Buffer> {
    const turn = this.#queue.then(() => this.#request(run, argv, step, input, signal, as));
    this.#queue = turn.catch(() => undefined); // the caller gets turn's error; the queue only keeps the order
    return turn;
  }

  async #request(run: AgentRun, argv: string[], step: string, input: ExecInput | undefined, signal: AbortSignal | undefined, as: string | undefined): Promise<Buffer> {
    signal?.throwIfAborted();
    if (!this.#alive) throw this.#gone();
    this.#busy();
    // Settles once the answer is in, the helper is gone, or the sync is cancelled; feeding stops then.
    const settled = new AbortController();
    const answer = new Promise<{ status: number; payload: Buffer }>((resolve, reject) => {
      this.#answer = {
        resolve: (status, payload) => resolve({ status, payload }),
        fail: reject,
      };
    });
    void answer.then(() => settled.abort(), () => settled.abort()); // its outcome is awaited below
    const onAbort = () => {
      this.#answer?.fail(new DOMException('The operation was aborted.', 'AbortError'));
      this.#die();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // A frozen helper (its container paused after it started) never answers and never reads: the
    // request fails once the engine says so, instead of waiting for ever.
    const watch = setInterval(() => {
      this.stuck().then((why) => {
        if (why && !settled.signal.aborted) this.#die(new Error(why));
      }, () => undefined); // the engine not answering either: the request's own outcome says what happened
    }, STUCK_CHECK_MS);
    watch.unref();
    try {
      const header = Buffer.from(JSON.stringify({ run, argv, ...(as ? { as: as.split(':').map(Number) } : {}) }), 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(header.length);
      try {
        await this.#write(Buffer.concat([REQUEST_HEAD, length, header]), settled.signal);
        await this.#feed(input, settled.signal);
      } catch (error) {
        // Anything but the helper answering or going away (a file unreadable here) ends it: what it
        // got so far is an input cut off, which changes nothing.
        if (!settled.signal.aborted) {
          this.#die();
          await answer.catch(() => undefined); // the helper was just ended: its answer can only be that; the error above is the one reported
          throw error;
        }
      }
      const { status, payload } = await answer;
      this.answered += 1;
      if (status !== 0) {
        this.#die();
        const said = payload.toString('utf8').trim().split('\n').slice(-3).join(' ').slice(-400);
        throw new BenchtopError('SYNC_FAILED', `${step} failed in the session container: ${said || 'no output'}.`,
          'Nothing was lost: the next sync starts over from what both sides hold. If it keeps failing, check the volume has space.');
      }
      return payload;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      clearInterval(watch);
      this.#answer = undefined;
      if (this.#alive) this.#rest();
    }
  }

  async #feed(input: ExecInput | undefined, settled: AbortSignal): Promise<void> {
    let parts: Uint8Array[] = [];
    let held = 0;
    const flush = async () => {
      if (held === 0) return;
      const head = Buffer.alloc(4);
      head.writeUInt32BE(held);
      const piece = Buffer.concat([head, ...parts], held + 4);
      parts = [];
      held = 0;
      await this.#write(piece, settled);
    };
    if (input) {
      await input(async (bytes) => {
        if (bytes.length === 0) return;
        parts.push(bytes);
        held += bytes.length;
        if (held >= INPUT_CHUNK) await flush();
      });
    }
    await flush();
    await this.#write(INPUT_END, settled);
  }

  async #write(bytes: Uint8Array, settled: AbortSignal): Promise<void> {
    settled.throwIfAborted();
    if (!this.stream.write(bytes)) await once(this.stream, 'drain', { signal: settled });
  }

  #stdout(chunk: Buffer): void {
    this.#parts.push(chunk);
    this.#held += chunk.length;
    for (;;) {
      if (!this.#head) {
        if (this.#held < 9) return;
        const head = this.#take(9);
        // `0` done, `S` done by a helper that can run requests as another user, anything else failed.
        if (head[0] === 0x53) this.canBecome = true;
        this.#head = { status: head[0] === 0x30 || head[0] === 0x53 ? 0 : 1, size: Number(head.readBigUInt64BE(1)) };
      }
      if (this.#held < this.#head.size) return;
      const { status, size } = this.#head;
      this.#head = undefined;
      const payload = this.#take(size);
      const answer = this.#answer;
      this.#answer = undefined;
      if (answer) answer.resolve(status, payload);
      else this.#die(new Error('the sync helper answered a request nobody made'));
    }
  }

  /** Removes and returns the next `n` bytes of what the helper printed (there are at least `n`). */
  #take(n: number): Buffer {
    const all = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts, this.#held);
    this.#parts = all.length > n ? [all.subarray(n)] : [];
    this.#held -= n;
    return all.subarray(0, n);
  }

  #die(error?: Error): void {
    if (!this.#alive) return;
    this.#alive = false;
    clearTimeout(this.#idle);
    this.stream.destroy();
    this.#answer?.fail(error && !/aborted/i.test(error.message) ? error : this.#gone());
    this.#answer = undefined;
    this.onDead();
  }

  #gone(): Error {
    const said = this.#stderr.trim().slice(-300);
    return new Error(`the sync helper in the container stopped before it answered${said ? ` (${said})` : ''}`);
  }

  /** Working: the connection keeps this process alive until the answer is in. */
  #busy(): void {
    clearTimeout(this.#idle);
    this.stream.ref?.();
  }

  /** Idle: it does not keep this process alive (a CLI command exits), and it ends after AGENT_IDLE_MS. */
  #rest(): void {
    this.stream.unref?.();
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.#die(), AGENT_IDLE_MS);
    this.#idle.unref();
  }
}

/**
 * The helper processes of this app, one per container and user, kept between syncs. Keyed by the
 * engine connection (a reconnected engine gets new ones) and the container's id as the caller knows
 * it: an agent lives only as long as its container, and names are unique among live containers.
 */
const pools = new WeakMap<object, Map<string, Promise<SyncAgent>>>();
/** Containers where a helper could not become the volume's owner (see agentRequest). */
const noBecoming = new Set<string>();
/** The user the listing's helper runs as (remote-tree.ts). */
const ROOT = '0:0';

/**
 * Runs one request on the container's helper process for `user`, starting one if there is none.
 * A request that may run twice (`repeatable`: the listing, hashing) is retried once on a fresh
 * process when the kept one turns out to have died since its last answer.
 */
export async function agentRequest(container: ExecHost, user: string, run: AgentRun, argv: string[], step: string,
  options: { input?: ExecInput; signal?: AbortSignal; repeatable?: boolean } = {}): Promise<Buffer> {
  // The owner's steps go to the root helper that listed the volume, when it can become the owner:
  // no second exec, no second python start.
  const root = user === ROOT ? undefined : await rootThatBecomes(container);
  if (root) {
    try {
      return await root.request(run, argv, step, options.input, options.signal, user);
    } catch (error) {
      // This container will not let it become the owner (no such user, a seccomp rule). The child
      // refuses before it reads or writes anything, so this request and the container's later ones
      // run in a helper of their own, started as the owner.
      const cannotBecome = error instanceof BenchtopError && error.message.includes('bt-cannot-become') && !error.message.includes('never writes as root');
      if (cannotBecome) noBecoming.add(`${container.id}`);
      const stale = options.repeatable && !root.alive && !options.signal?.aborted && !(error instanceof BenchtopError);
      if (!stale && !cannotBecome) throw error;
    }
  }
  const agent = await agentFor(container, user);
  const reused = agent.answered > 0;
  try {
    return await agent.request(run, argv, step, options.input, options.signal);
  } catch (error) {
    const stale = reused && options.repeatable && !agent.alive && !options.signal?.aborted && !(error instanceof BenchtopError);
    if (!stale) throw error;
    return (await agentFor(container, user)).request(run, argv, step, options.input, options.signal);
  }
}

/**
 * Starts the container's helper process for `user` now, if none is kept or starting, so that its
 * exec overlaps the sync's other first steps (checking the volume, listing this side). It only
 * starts python: nothing is asked of it until a request comes. A start that fails is reported by
 * the request that follows, which starts it again.
 */
export function prestartAgent(container: ExecHost, user: string): void {
  agentFor(container, user).catch(() => undefined); // see above: the next request reports it
}

/** Why a container's helper cannot answer now, if the engine says so (a folder host has no such state). */
async function whyStuck(container: ExecHost): Promise<string | undefined> {
  const inspect = (container as { inspect?: () => Promise<{ State?: { Paused?: boolean; Running?: boolean } }> }).inspect;
  if (typeof inspect !== 'function') return undefined;
  const { State: state } = await inspect.call(container);
  if (state?.Paused) return 'the session container is paused, so the sync helper in it cannot answer';
  if (state?.Running === false) return 'the session container is not running any more';
  return undefined;
}

/** The root helper, when it is kept, alive and said it can become another user (and this container let it). */
async function rootThatBecomes(container: ExecHost): Promise<SyncAgent | undefined> {
  if (noBecoming.has(container.id)) return undefined;
  const kept = pools.get(container.modem)?.get(`${container.id}\0${ROOT}`);
  const agent = kept ? await kept.catch(() => undefined) : undefined; // one that failed to start was reported to its caller
  return agent?.alive && agent.canBecome ? agent : undefined;
}

/** The kept helper process of `container` for `user`, or a new one when there is none alive. */
async function agentFor(container: ExecHost, user: string): Promise<SyncAgent> {
  let pool = pools.get(container.modem);
  if (!pool) pools.set(container.modem, (pool = new Map()));
  const key = `${container.id}\0${user}`;
  const kept = pool.get(key);
  const agent = kept ? await kept.catch(() => undefined) : undefined; // a helper that failed to start was reported to its caller; start a new one
  if (agent?.alive) return agent;
  // Another caller may have started one while this one waited for the kept one.
  const now = pool.get(key);
  if (now && now !== kept) return now;
  pool.delete(key);
  const starting = SyncAgent.start(container, user, () => {
    if (pool.get(key) === starting) pool.delete(key);
  });
  pool.set(key, starting);
  starting.catch(() => {
    if (pool.get(key) === starting) pool.delete(key);
  });
  return starting;
}

/** Ends every kept helper process of this engine connection's containers (tests, shutdown). */
export function closeAgents(modem: object): void {
  const pool = pools.get(modem);
  if (!pool) return;
  for (const agent of pool.values()) void agent.then((a) => a.close(), () => undefined);
  pool.clear();
}
