import { LOCAL } from '../engine/service';
import type { AgentConfig } from './agent';
import type { CommandOutput } from './nvidia-smi';

/** What the hosts service offers for setting up a host's agent. */
export interface AgentHostAccess {
  config(hostId: string): { dockerSocket?: string };
  exec(target: string, command: string, timeoutMs?: number): Promise<CommandOutput>;
}

/**
 * The agent's setup on a target: on SSH hosts, the engine socket Benchtop uses and where nvidia-smi
 * lives there (the agent runs it through the host's root when the container has none). This
 * computer gets no agent: its sessions are the app's own, and nobody else queues for its cards.
 */
export function hostAgentConfig(hosts: AgentHostAccess, defaultSocket: string): (target: string) => Promise<AgentConfig | undefined> {
  const found = new Map<string, Promise<AgentConfig>>();
  return async (target) => {
    if (target === LOCAL) return undefined;
    let pending = found.get(target);
    if (!pending) {
      pending = (async () => {
        const socket = hosts.config(target).dockerSocket ?? defaultSocket;
        // Unanswered: the agent runs without nvidia-smi's path (it finds none), as on a host without one.
        const where = await hosts.exec(target, 'command -v nvidia-smi', 15_000).catch(() => undefined);
        const path = where?.exitCode === 0 ? where.stdout.trim().split('\n')[0] : undefined;
        return { socket, nvidiaSmi: path?.startsWith('/') ? path : undefined };
      })();
      found.set(target, pending);
      pending.catch(() => found.delete(target));
    }
    return pending;
  };
}
