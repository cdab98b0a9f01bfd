import type { JupyterKernel, JupyterStatus } from './client';

/** Busy states a kernel reports; anything but `idle` (starting, busy, restarting…) is activity. */
const isIdleKernel = (k: JupyterKernel) => (k.execution_state ?? 'idle') === 'idle';

/**
 * When the session last did anything: the newest of the server's and every kernel's last activity
 * (`/api/status` calls themselves do not count, Jupyter leaves them out), or `now` while any kernel
 * is busy. `startedAt` is the floor, so a fresh session gets its full idle time.
 */
export function lastActivity(status: JupyterStatus, kernels: JupyterKernel[], startedAt: number, now: number): number {
  if (kernels.some((k) => !isIdleKernel(k))) return now;
  const times = [status.last_activity, ...kernels.map((k) => k.last_activity)]
    .map((t) => (t ? Date.parse(t) : NaN))
    .filter((t) => Number.isFinite(t));
  return Math.max(startedAt, ...times);
}
