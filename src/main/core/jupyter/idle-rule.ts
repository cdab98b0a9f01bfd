import type { JupyterKernel, JupyterStatus, JupyterTerminal } from './client';

/** Busy states a kernel reports; anything but `idle` (starting, busy, restarting…) is activity. */
const isIdleKernel = (k: JupyterKernel) => (k.execution_state ?? 'idle') === 'idle';

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
