import type { GpuInfo, GpuLease, HostPolicy } from '../../../shared/contract/hosts';
import type { Owner } from '../identity/owner';
import { leaseFromRecords, LEASE_LABELS, type LeaseRecord } from './lease-labels';
import { noticeFromLabels } from './notice-labels';
import { gpuId } from './nvidia-smi';
import { newestPolicy, policyFromLabels } from './policy';
import type { GpuRecords } from './records';

/** One card's lease, with the records it is made of. */
export interface HeldLease {
  lease: GpuLease;
  base: LeaseRecord;
  extensions: LeaseRecord[];
}

/**
 * Who holds what on one engine, as every client and the agent agree to read it: a card is held by
 * its lease record; a running session's card counts as held even when its lease record vanished
 * (prune, a manual rm); a card with processes or containers outside any lease is "in use without a
 * lease" and is not handed out.
 */
export interface GpuBooks {
  engineNow: number;
  policy: HostPolicy;
  /** By card id (UUID, or index where the UUID is unreadable). */
  leases: Map<string, HeldLease>;
  /** Cards running sessions use although no lease record names them, with the session's labels. */
  unrecorded: Map<string, { session: string; labels: Record<string, string>; image: string }>;
  /** Cards used outside any lease, and by what. */
  unleased: Map<string, string[]>;
}

export function readBooks(target: string, records: GpuRecords, inventory: GpuInfo[], processes: Map<string, number[]>, me?: Owner): GpuBooks {
  const policy = policyFromLabels(newestPolicy(records.policyVolumes));
  const defaultSeconds = policy.leaseHours * 3600;
  const byIndex = new Map(inventory.map((g) => [String(g.index), gpuId(g)]));
  const idOf = (gpu: string) => byIndex.get(gpu) ?? gpu;
  const leases = new Map<string, HeldLease>();
  const bases = records.leases.filter((r) => !r.extension);
  for (const base of bases) {
    const gpu = base.labels[LEASE_LABELS.gpu];
    const session = base.labels[LEASE_LABELS.session];
    const extensions = records.leases.filter((r) => r.extension && r.labels[LEASE_LABELS.gpu] === gpu && r.labels[LEASE_LABELS.session] === session);
    const lease = leaseFromRecords(target, base, extensions, defaultSeconds, me);
    if (lease) leases.set(idOf(lease.gpu), { lease, base, extensions });
  }
  const unrecorded = new Map<string, { session: string; labels: Record<string, string>; image: string }>();
  for (const s of records.runningSessions) {
    for (const gpu of s.gpus) if (!leases.has(idOf(gpu))) unrecorded.set(idOf(gpu), { session: s.name, labels: s.labels, image: s.image });
  }
  const unleased = new Map<string, string[]>();
  for (const [uuid, pids] of processes) {
    const id = idOf(uuid);
    if (!leases.has(id) && !unrecorded.has(id)) unleased.set(id, pids.map((p) => `pid ${p}`));
  }
  // The agent sees more (containers started with --gpus by hand): its flags count too.
  for (const v of records.noticeVolumes) {
    const notice = noticeFromLabels(target, v.Labels);
    if (notice?.kind === 'unleased-use' && notice.gpu && !leases.has(idOf(notice.gpu))) {
      unleased.set(idOf(notice.gpu), unleased.get(idOf(notice.gpu)) ?? [notice.message]);
    }
  }
  return { engineNow: records.engineNow, policy, leases, unrecorded, unleased };
}

/** Cards nobody may be given now, by id. */
export function busyCards(books: GpuBooks): Set<string> {
  return new Set([...books.leases.keys(), ...books.unrecorded.keys(), ...books.unleased.keys()]);
}
