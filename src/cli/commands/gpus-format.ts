import type { GpuBoard, GpuLease, GpuQueueEntry, HostPolicy } from '../../shared/contract/hosts';
import { columns } from '../output';

/** `14:05` in this computer's time zone; '' for none. */
export function clock(iso: string | undefined): string {
  if (!iso) return '';
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? '' : `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
}

const hours = (h: number) => (h >= 1 ? `${+h.toFixed(2)} h` : `${+(h * 60).toFixed(1)} min`);

/** `2 GPUs per user, leases 8 h (max 24 h), idle stop after 60 min, a card under 5% counts as idle`. */
export function describePolicy(p: HostPolicy): string {
  return [
    p.maxGpusPerUser ? `${p.maxGpusPerUser} GPU${p.maxGpusPerUser === 1 ? '' : 's'} per user` : 'no GPU limit per user',
    `leases ${hours(p.leaseHours)} (max ${hours(p.maxLeaseHours)})`,
    p.idleMinutes ? `idle stop after ${+p.idleMinutes.toFixed(2)} min` : 'no idle stop by policy',
    `a card under ${p.gpuIdleUtilPercent}% counts as idle`,
  ].join(', ') + (p.setBy ? ` (set by ${p.setBy})` : ' (defaults)');
}

const holderOf = (l: GpuLease) => `${l.holder}${l.mine ? ' (you)' : ''}`;

/** The board as `benchtop gpus` prints it: cards, then the queue, then the agent's notices. */
export function formatBoard(board: GpuBoard): string {
  const out: string[] = [];
  out.push(`${board.target}: ${describePolicy(board.policy)}`);
  out.push(board.agent.running ? `Host agent ${board.agent.version ?? '?'} running (idle stop, expiry, queue).` : 'Host agent not running: it starts with the next GPU claim on this host.');
  if (!board.cards.length) out.push(`No NVIDIA GPU on ${board.target}${board.problem ? ` (${board.problem})` : ''}.`);
  const rows = board.cards.map((c) => [
    String(c.index), c.name,
    c.utilizationPercent === undefined ? '-' : `${c.utilizationPercent}%`,
    `${c.memoryUsedMiB === undefined ? '?' : Math.round(c.memoryUsedMiB / 1024)}/${Math.round(c.memoryMiB / 1024)} GiB`,
    c.state === 'unleased' ? 'IN USE WITHOUT A LEASE' : c.lease ? holderOf(c.lease) : 'free',
    c.lease?.sessionId ?? (c.unleasedBy ?? []).join(', '),
    clock(c.lease?.since), clock(c.lease?.expires),
  ]);
  for (const l of board.orphanLeases) rows.push(['?', `${l.gpu} (not listed by nvidia-smi)`, '', '', holderOf(l), l.sessionId, clock(l.since), clock(l.expires)]);
  if (rows.length) out.push(columns(['GPU', 'NAME', 'UTIL', 'MEMORY', 'HOLDER', 'SESSION', 'SINCE', 'EXPIRES'], rows));
  out.push(formatQueue(board.queue));
  for (const n of board.notices) out.push(`${n.mine ? '!' : '·'} ${n.message}`);
  return out.join('\n');
}

export function formatQueue(queue: GpuQueueEntry[]): string {
  return queue.length
    ? `Queue (first come, first served):\n${columns(['#', 'HOLDER', 'GPUS', 'SESSION', 'WAITING SINCE'],
      queue.map((e) => [String(e.position), `${e.holder}${e.mine ? ' (you)' : ''}`, String(e.count), e.sessionId, clock(e.since)]))}`
    : 'Queue: empty.';
}
