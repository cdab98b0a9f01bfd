import type { GpuQueueEntry } from '../../../shared/contract/hosts';
import { ownerFromLabels, ownerLabels, type Owner } from '../identity/owner';

/**
 * A claim waiting for GPUs is a container created and never started, named after its session (one
 * place per session: the name is the mutex). Its place in line is its creation time, stamped by the
 * host's engine, so every client sees the same order. The host's agent (src/target-agent/agent.py)
 * grants the head and removes the entry. Label names are shared with the agent: never rename.
 */
export const QUEUE_LABEL = 'dev.benchtop.queue';
export const QUEUE_LABELS = {
  session: 'dev.benchtop.queue.session',
  count: 'dev.benchtop.queue.count',
  ids: 'dev.benchtop.queue.ids',
  seconds: 'dev.benchtop.queue.seconds',
  kind: 'dev.benchtop.queue.kind',
  holder: 'dev.benchtop.queue.holder',
  idleMinutes: 'dev.benchtop.queue.idle-minutes',
} as const;

export function queueContainerName(sessionId: string): string {
  return `benchtop-queue-${sessionId.replace(/[^a-zA-Z0-9_.-]/g, '_')}`;
}

export interface QueueInput {
  owner: Owner;
  sessionId: string;
  count: number;
  ids: string[];
  seconds: number;
  kind: 'session' | 'reservation';
  idleMinutes: number;
}

export function queueLabels(q: QueueInput): Record<string, string> {
  return {
    [QUEUE_LABEL]: '1',
    [QUEUE_LABELS.session]: q.sessionId,
    [QUEUE_LABELS.count]: String(q.count),
    [QUEUE_LABELS.ids]: q.ids.join(','),
    [QUEUE_LABELS.seconds]: String(Math.round(q.seconds)),
    [QUEUE_LABELS.kind]: q.kind,
    [QUEUE_LABELS.holder]: q.owner.name,
    [QUEUE_LABELS.idleMinutes]: String(q.idleMinutes),
    ...ownerLabels(q.owner),
  };
}

/** A queue entry as read from the engine, before positions are given. */
export interface QueueRecord {
  containerId: string;
  /** Engine clock, ns precision kept as a sortable string of the inspect `Created`. */
  created: string;
  name: string;
  labels: Record<string, string>;
}

/** The line in order (engine creation time, then name, as the agent orders it), with positions from 1. */
export function queueEntries(records: QueueRecord[], me?: Owner): GpuQueueEntry[] {
  const sorted = [...records].sort((a, b) => createdKey(a.created) - createdKey(b.created) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted.map((r, i) => {
    const owner = ownerFromLabels(r.labels);
    return {
      position: i + 1,
      sessionId: r.labels[QUEUE_LABELS.session] ?? '',
      holder: r.labels[QUEUE_LABELS.holder] || owner?.name || 'unknown',
      mine: !!me && owner?.id === me.id,
      count: (r.labels[QUEUE_LABELS.ids] ?? '').split(',').filter(Boolean).length || Number(r.labels[QUEUE_LABELS.count]) || 1,
      since: r.created,
      kind: r.labels[QUEUE_LABELS.kind] === 'reservation' ? 'reservation' : 'session',
    };
  });
}

/** RFC 3339 with nanoseconds → a number that orders like it (ms, with the sub-ms digits kept as a fraction). */
export function createdKey(created: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(created);
  if (!m) return Date.parse(created) || 0;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  const frac = Number(`0.${(m[2] ?? '0').padEnd(9, '0').slice(0, 9)}`);
  return whole + frac * 1000;
}
