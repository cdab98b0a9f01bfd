import type { EngineService } from '../engine/service';
import type { Owner } from '../identity/owner';
import type { Logger } from '../log/logger';
import { ensureAgent, type AgentConfig } from './agent';

/** How long a target whose agent was found running is not asked again. */
const AGENT_RECHECK_MS = 5 * 60_000;

export interface AgentKeeperDeps {
  engines: EngineService;
  owner: () => Owner;
  log?: Logger;
  /** How the host's agent is set up on a target; undefined: no agent there (and no queue). */
  agentConfig?: (target: string) => Promise<AgentConfig | undefined>;
}

/**
 * Keeps the host's agent running where a target has one configured: idle stop, expiry and handing
 * the queue its cards hold with every laptop closed only while it runs. Checks at most every few
 * minutes per target; concurrent callers on one target share one check.
 */
export class AgentKeeper {
  readonly #checked = new Map<string, number>();
  readonly #inFlight = new Map<string, Promise<boolean>>();

  constructor(private readonly deps: AgentKeeperDeps) {}

  /** Starts (or updates) the agent; answers whether one is there to hand out queued claims. */
  ensure(target: string, image: string): Promise<boolean> {
    let pending = this.#inFlight.get(target);
    if (!pending) {
      pending = this.#check(target, image).finally(() => this.#inFlight.delete(target));
      this.#inFlight.set(target, pending);
    }
    return pending;
  }

  async #check(target: string, image: string): Promise<boolean> {
    const { deps } = this;
    const config = await deps.agentConfig?.(target).catch((error: unknown) => deps.log?.ignored(`setting up the host agent of ${target}`, error));
    if (!config) return false;
    const last = this.#checked.get(target) ?? 0;
    if (Date.now() - last < AGENT_RECHECK_MS) return true;
    try {
      const outcome = await deps.engines.call(target, 'start the host agent', (d) => ensureAgent(d, image, config, deps.owner()), 60_000);
      if (outcome !== 'running') deps.log?.info(`host agent on ${target}: ${outcome}`);
      this.#checked.set(target, Date.now());
      return true;
    } catch (error) {
      // Claims still work without it; idle stop, expiry and the queue wait until a client starts it.
      deps.log?.warn(`could not start the host agent on ${target}`, { error });
      return false;
    }
  }
}
