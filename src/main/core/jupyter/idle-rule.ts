import type { JupyterKernel, JupyterStatus, JupyterTerminal } from './client';

/** Busy states a kernel reports; anything but `idle` (starting, busy, restarting…) is activity. */
const isIdleKernel = (k: JupyterKernel) => (k.execution_state ?? 'idle') === 'idle';

/**
 * A session container using this share of one core or more between two looks is working, whatever
 * Jupyter says: a script started from a terminal and left running, or a cell classic Jupyter lists as
 * idle (when a tab's opening kernel_info reply lands after the cell's busy). An idle Jupyter answering
 * polls uses about 1% of a core. The host agent uses the same figure (CPU_BUSY_CORES in agent.py).
 */
export const CPU_BUSY_CORES = 0.25;
/** Looks closer together than this say nothing: a few ms of Jupyter answering would read as a busy core. */
export const CPU_MIN_WINDOW_MS = 5_000;

/** A container's CPU time so far (`ns`), read at `atMs` on a monotonic clock (not the session clock). */
export interface CpuSample {
  atMs: number;
  ns: number;
}

/** Whether the container used CPU_BUSY_CORES or more between two samples at least CPU_MIN_WINDOW_MS apart. */
export function cpuBusy(before: CpuSample, after: CpuSample): boolean {
  const ms = after.atMs - before.atMs;
  if (ms < CPU_MIN_WINDOW_MS || after.ns < before.ns) return false;
  return (after.ns - before.ns) / 1e6 / ms >= CPU_BUSY_CORES;
}

/**
 * When the session last did anything: the newest of the server's, every kernel's and every
 * terminal's last activity, or `now` while any kernel is busy. Benchtop's own calls do not count
 * (they carry `no_track_activity`). `startedAt` is the floor, so a fresh session gets its full idle
 * time. The on-host agent (src/target-agent/agent.py, `last_activity`) applies the same rule.
 */
export function lastActivity(status: JupyterStatus, kernels: JupyterKernel[], startedAt: number, now: number, terminals: JupyterTerminal[] = []): number {
  if (kernels.some((k) => !isIdleKernel(k))) return now;
  const times = [status.last_activity, ...kernels.map((k) => k.last_activity), ...terminals.map((t) => t.last_activity)]
    .map((t) => (t ? Date.parse(t) : NaN))
    .filter((t) => Number.isFinite(t));
  return Math.max(startedAt, ...times);
}
