import type { GpuBoard, GpuInfo, GpuLease } from '../../../shared/contract/hosts';
import { ownerFromLabels, type Owner } from '../identity/owner';
import type { GpuBooks } from './books';
import { noticeFromLabels } from './notice-labels';
import { gpuId } from './nvidia-smi';
import { queueEntries } from './queue-labels';
import type { GpuRecords } from './records';
import type { GpuUsage } from './usage';

/** Hosts → GPUs, from one read of the books: every card with its holder, expiry and use, the queue, the policy and the agent's notices. */
export function buildBoard(target: string, read: { books: GpuBooks; records: GpuRecords; usage: GpuUsage; inventory: GpuInfo[] }, me: Owner): GpuBoard {
  const { books, records, usage, inventory } = read;
  const outcome = usage.outcome;
  const cards = inventory.map((g) => {
    const id = gpuId(g);
    const held = books.leases.get(id);
    const unrecorded = books.unrecorded.get(id);
    const unleased = books.unleased.get(id);
    return {
      index: g.index, uuid: g.uuid, name: g.name, memoryMiB: g.memoryMiB,
      memoryUsedMiB: usage.memoryUsedMiB.get(g.uuid), utilizationPercent: g.utilizationPercent,
      state: held || unrecorded ? 'leased' as const : unleased ? 'unleased' as const : 'free' as const,
      lease: held?.lease ?? (unrecorded ? unrecordedLease(target, id, unrecorded, books, me) : undefined),
      ...(unleased ? { unleasedBy: unleased } : {}),
    };
  });
  const known = new Set(inventory.map(gpuId));
  return {
    target,
    engineTime: new Date(books.engineNow).toISOString(),
    policy: books.policy,
    cards,
    queue: queueEntries(records.queue, me),
    notices: records.noticeVolumes.map((v) => noticeFromLabels(target, v.Labels, me)).filter((n): n is NonNullable<typeof n> => !!n)
      .sort((a, b) => a.at.localeCompare(b.at)),
    orphanLeases: [...books.leases.entries()].filter(([id]) => !known.has(id)).map(([, h]) => h.lease),
    agent: records.agent ? { running: records.agent.running, version: records.agent.version } : { running: false },
    ...(outcome.state === 'ok' || outcome.state === 'none' ? {} : { problem: outcome.detail }),
  };
}

/** A card a running session uses without a lease record (pruned, or removed by hand), shown as that session's lease. */
function unrecordedLease(target: string, gpu: string, s: { session: string; labels: Record<string, string> }, books: GpuBooks, me: Owner): GpuLease {
  const owner = ownerFromLabels(s.labels);
  return {
    host: target, gpu, holder: owner?.name ?? s.labels['dev.benchtop.user'] ?? 'unknown', ownerId: owner?.id ?? '', mine: owner?.id === me.id,
    sessionId: s.session, since: new Date(books.engineNow).toISOString(), kind: 'session', idleMinutes: Number(s.labels['dev.benchtop.idle-minutes']) || 0,
  };
}
