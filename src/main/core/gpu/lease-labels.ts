import type { GpuLease } from '../../../shared/contract/hosts';
import { OWNER_LABEL, ownerFromLabels, ownerLabels, type Owner } from '../identity/owner';

/**
 * A GPU lease is a container that is created and never started, one per GPU, named after the GPU.
 * The engine refuses a second container with the same name (409), so two claims racing for one card
 * cannot both win, and the lease survives app restarts because it lives on the host itself.
 * Labels cannot change after creation, so extending a lease adds a record (same labels plus
 * `extends`) under another name; the lease lasts until the latest record's end. Ages and ends are
 * counted from each record's creation time, which the host's engine stamps with its own clock.
 * The host's agent (src/target-agent/agent.py) reads the same labels: never rename them.
 */
export const LEASE_LABEL = 'dev.benchtop.lease';
export const LEASE_LABELS = {
  gpu: 'dev.benchtop.lease.gpu',
  holder: 'dev.benchtop.lease.holder',
  session: 'dev.benchtop.lease.session',
  since: 'dev.benchtop.lease.since',
  idleMinutes: 'dev.benchtop.lease.idle-minutes',
  /** How long the record lasts, counted from its creation (engine clock). */
  seconds: 'dev.benchtop.lease.seconds',
  /** `session` (freed when its session ends) or `reservation` (claimed by hand, freed at expiry or release). */
  kind: 'dev.benchtop.lease.kind',
  /** `1` on an extension record. */
  extends: 'dev.benchtop.lease.extends',
} as const;

/** Set by tests of the agent on the local engine: records of one scope are seen only by that scope. */
export const SCOPE_LABEL = 'dev.benchtop.scope';

/** `benchtop-gpu-<uuid or index>`; characters a container name may not hold become `_` (MIG ids have `/`). */
export function leaseContainerName(gpu: string): string {
  return `benchtop-gpu-${gpu.replace(/[^a-zA-Z0-9_.-]/g, '_')}`;
}

/** An extension record's name: unique, and never the mutex name. */
export function extensionContainerName(gpu: string, stamp: string): string {
  return `${leaseContainerName(gpu)}-x${stamp}`;
}

export interface LeaseRecordInput {
  gpu: string;
  owner: Owner;
  sessionId: string;
  seconds: number;
  kind: 'session' | 'reservation';
  idleMinutes: number;
  /** The laptop's clock, kept for older clients that show it; the engine's `Created` is what counts. */
  since: string;
}

export function leaseLabels(lease: LeaseRecordInput, extension = false): Record<string, string> {
  return {
    [LEASE_LABEL]: '1',
    [LEASE_LABELS.gpu]: lease.gpu,
    [LEASE_LABELS.holder]: lease.owner.name,
    [LEASE_LABELS.session]: lease.sessionId,
    [LEASE_LABELS.since]: lease.since,
    [LEASE_LABELS.idleMinutes]: String(lease.idleMinutes),
    [LEASE_LABELS.seconds]: String(Math.round(lease.seconds)),
    [LEASE_LABELS.kind]: lease.kind,
    ...(extension ? { [LEASE_LABELS.extends]: '1' } : {}),
    ...ownerLabels(lease.owner),
  };
}

/** One lease record as listed by the engine. */
export interface LeaseRecord {
  containerId: string;
  name: string;
  /** Engine clock, ms. */
  createdMs: number;
  labels: Record<string, string>;
  extension: boolean;
  /** The image it was made from (extensions are made from the same). */
  image?: string;
}

/**
 * Reads a lease back from its records (the lease and any extensions of the same session and card);
 * null for a container that is not a lease. `defaultSeconds` is the host policy's lease length, for
 * leases made before leases had one.
 */
export function leaseFromRecords(host: string, base: LeaseRecord, extensions: LeaseRecord[], defaultSeconds: number, me?: Owner): GpuLease | null {
  const labels = base.labels;
  if (labels[LEASE_LABEL] !== '1' || !labels[LEASE_LABELS.gpu]) return null;
  const idle = Number(labels[LEASE_LABELS.idleMinutes]);
  const end = (r: LeaseRecord) => r.createdMs + (Number(r.labels[LEASE_LABELS.seconds]) || defaultSeconds) * 1000;
  const expires = Math.max(end(base), ...extensions.map(end));
  const owner = ownerFromLabels(labels);
  return {
    host,
    gpu: labels[LEASE_LABELS.gpu],
    holder: labels[LEASE_LABELS.holder] || owner?.name || 'unknown',
    ownerId: owner?.id ?? '',
    mine: !!me && owner?.id === me.id,
    sessionId: labels[LEASE_LABELS.session] ?? '',
    since: new Date(base.createdMs).toISOString(),
    expires: new Date(expires).toISOString(),
    kind: labels[LEASE_LABELS.kind] === 'reservation' ? 'reservation' : 'session',
    idleMinutes: Number.isFinite(idle) ? idle : 0,
  };
}

/** Reads a lease from one container's labels alone (a 409's winner, before its records are listed). */
export function leaseFromLabels(host: string, labels: Record<string, string> | undefined): GpuLease | null {
  if (!labels || labels[LEASE_LABEL] !== '1' || !labels[LEASE_LABELS.gpu]) return null;
  const idle = Number(labels[LEASE_LABELS.idleMinutes]);
  return {
    host,
    gpu: labels[LEASE_LABELS.gpu],
    holder: labels[LEASE_LABELS.holder] ?? 'unknown',
    ownerId: labels[OWNER_LABEL.id] ?? '',
    sessionId: labels[LEASE_LABELS.session] ?? '',
    since: labels[LEASE_LABELS.since] ?? '',
    idleMinutes: Number.isFinite(idle) ? idle : 0,
  };
}

/** `GPU-8f…e1 is held by ana (session s-42) since 2026-11-23 19:20 UTC`. */
export function describeLease(lease: GpuLease): string {
  const since = lease.since ? ` since ${lease.since.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')}` : '';
  return `${lease.gpu} is held by ${lease.holder} (session ${lease.sessionId || 'unknown'})${since}`;
}
