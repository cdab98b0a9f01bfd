import type { GpuLease } from '../../../shared/contract/hosts';

/**
 * A GPU lease is a container that is created and never started, one per GPU, named after the GPU.
 * The engine refuses a second container with the same name (409), so two claims racing for one card
 * cannot both win, and the lease survives app restarts because it lives on the host itself.
 */
export const LEASE_LABEL = 'dev.benchtop.lease';
export const LEASE_LABELS = {
  gpu: 'dev.benchtop.lease.gpu',
  holder: 'dev.benchtop.lease.holder',
  session: 'dev.benchtop.lease.session',
  since: 'dev.benchtop.lease.since',
  idleMinutes: 'dev.benchtop.lease.idle-minutes',
} as const;

/** `benchtop-gpu-<uuid or index>`; characters a container name may not hold become `_` (MIG ids have `/`). */
export function leaseContainerName(gpu: string): string {
  return `benchtop-gpu-${gpu.replace(/[^a-zA-Z0-9_.-]/g, '_')}`;
}

export function leaseLabels(lease: Omit<GpuLease, 'host'>): Record<string, string> {
  return {
    [LEASE_LABEL]: '1',
    [LEASE_LABELS.gpu]: lease.gpu,
    [LEASE_LABELS.holder]: lease.holder,
    [LEASE_LABELS.session]: lease.sessionId,
    [LEASE_LABELS.since]: lease.since,
    [LEASE_LABELS.idleMinutes]: String(lease.idleMinutes),
  };
}

/** Reads a lease back from a container's labels; null for a container that is not a lease. */
export function leaseFromLabels(host: string, labels: Record<string, string> | undefined): GpuLease | null {
  if (!labels || labels[LEASE_LABEL] !== '1' || !labels[LEASE_LABELS.gpu]) return null;
  const idle = Number(labels[LEASE_LABELS.idleMinutes]);
  return {
    host,
    gpu: labels[LEASE_LABELS.gpu],
    holder: labels[LEASE_LABELS.holder] ?? 'unknown',
    sessionId: labels[LEASE_LABELS.session] ?? '',
    since: labels[LEASE_LABELS.since] ?? '',
    idleMinutes: Number.isFinite(idle) ? idle : 0,
  };
}

/** `GPU-8f…e1 is held by ana@ws-12 (session s-42) since 2026-11-23 19:20 UTC`. */
export function describeLease(lease: GpuLease): string {
  const since = lease.since ? ` since ${lease.since.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')}` : '';
  return `${lease.gpu} is held by ${lease.holder} (session ${lease.sessionId || 'unknown'})${since}`;
}
