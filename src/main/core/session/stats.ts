import type Docker from 'dockerode';
import type { SessionStats } from '../../../shared/contract/sessions';
import { followLines } from './lines';

/** The fields of one engine stats sample that CPU % and memory need. */
export interface EngineStatsSample {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: { cache?: number; inactive_file?: number; total_inactive_file?: number } };
}

/**
 * CPU % the way `docker stats` computes it (share of the whole machine, 100 per core) and memory
 * without the page cache, which the kernel gives back under pressure and would only alarm people.
 */
export function toSessionStats(id: string, sample: EngineStatsSample): SessionStats {
  const cpu = sample.cpu_stats;
  const pre = sample.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const cores = cpu?.online_cpus ?? cpu?.cpu_usage?.percpu_usage?.length ?? 1;
  const cpuPercent = cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * cores * 100 : 0;
  const mem = sample.memory_stats;
  const cache = mem?.stats?.inactive_file ?? mem?.stats?.total_inactive_file ?? mem?.stats?.cache ?? 0;
  return {
    id,
    at: sample.read && !sample.read.startsWith('0001') ? sample.read : new Date().toISOString(),
    cpuPercent: Math.round(cpuPercent * 10) / 10,
    memoryBytes: Math.max(0, (mem?.usage ?? 0) - cache),
    memoryLimitBytes: mem?.limit ?? 0,
  };
}

/** Follows the engine's stats stream (one sample a second) until the signal aborts or the container stops. */
export async function watchStats(container: Docker.Container, id: string, signal: AbortSignal, onStats: (s: SessionStats) => void): Promise<void> {
  const stream = (await container.stats({ stream: true, abortSignal: signal } as { stream: true }));
  await followLines(stream, signal, (line) => {
    try {
      onStats(toSessionStats(id, JSON.parse(line) as EngineStatsSample));
    } catch {
      // a torn line: the next sample comes in a second
    }
  });
}
