import type Docker from 'dockerode';
import { LEASE_LABEL, LEASE_LABELS, SCOPE_LABEL, type LeaseRecord } from './lease-labels';
import { NOTICE_LABEL } from './notice-labels';
import { POLICY_LABEL } from './policy';
import { QUEUE_LABEL, type QueueRecord } from './queue-labels';

/** Session container labels the GPU books read (session/labels.ts defines them; never renamed). */
export const SESSION_LABEL = 'dev.benchtop.session';
export const SESSION_GPUS_LABEL = 'dev.benchtop.gpus';
export const AGENT_LABEL = 'dev.benchtop.agent';
export const AGENT_VERSION_LABEL = 'dev.benchtop.agent.version';

/** Everything the GPU books of one engine hold, read in one round of parallel requests. */
export interface GpuRecords {
  /** The engine's clock when read, ms. */
  engineNow: number;
  leases: LeaseRecord[];
  queue: QueueRecord[];
  /** Running session containers and the cards their labels say they were given. */
  runningSessions: { name: string; gpus: string[]; labels: Record<string, string>; image: string }[];
  policyVolumes: { Name: string; Labels?: Record<string, string> | null }[];
  noticeVolumes: { Name: string; Labels?: Record<string, string> | null }[];
  agent?: { running: boolean; version: number; image: string; name: string };
}

/** Objects of a test scope are seen only by that scope; without one, scoped objects are ignored. */
export function inScope(labels: Record<string, string> | null | undefined, scope: string | undefined): boolean {
  return scope ? labels?.[SCOPE_LABEL] === scope : !labels?.[SCOPE_LABEL];
}

export function agentName(scope: string | undefined): string {
  return scope ? `benchtop-agent-${scope}` : 'benchtop-agent';
}

const nameOf = (c: Docker.ContainerInfo) => (c.Names?.[0] ?? '').replace(/^\//, '');

/** Reads the books. `what` leaves out parts a caller does not need (a claim needs no notices). */
export async function readGpuRecords(d: Docker, scope: string | undefined, what: { notices?: boolean; agent?: boolean } = {}): Promise<GpuRecords> {
  const list = (label: string, all = true) => d.listContainers({ all, filters: { label: [label] } });
  const [info, leases, queued, sessions, policyVolumes, noticeVolumes, agents] = await Promise.all([
    d.info() as Promise<{ SystemTime?: string }>,
    list(`${LEASE_LABEL}=1`),
    list(`${QUEUE_LABEL}=1`),
    list(`${SESSION_LABEL}=1`, false),
    d.listVolumes({ filters: { label: [`${POLICY_LABEL}=1`] } }),
    what.notices ? d.listVolumes({ filters: { label: [`${NOTICE_LABEL}=1`] } }) : Promise.resolve({ Volumes: [] }),
    what.agent ? d.listContainers({ all: true, filters: { label: [`${AGENT_LABEL}=1`] } }) : Promise.resolve([]),
  ]);
  const ours = <T extends { Labels?: Record<string, string> | null }>(items: T[]) => items.filter((i) => inScope(i.Labels, scope));
  // Queue order needs the engine's nanosecond creation time; the list gives whole seconds.
  const queue = await Promise.all(ours(queued).map(async (c): Promise<QueueRecord | undefined> => {
    try {
      const inspect = await d.getContainer(c.Id).inspect();
      return { containerId: c.Id, created: inspect.Created, name: nameOf(c), labels: c.Labels ?? {} };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined; // granted or cancelled meanwhile
      throw error;
    }
  }));
  const agent = ours(agents).find((c) => nameOf(c) === agentName(scope));
  return {
    engineNow: Date.parse(info.SystemTime ?? '') || Date.now(),
    leases: ours(leases).map((c) => ({
      containerId: c.Id, name: nameOf(c), createdMs: c.Created * 1000, labels: c.Labels ?? {}, extension: c.Labels?.[LEASE_LABELS.extends] === '1', image: c.ImageID,
    })),
    queue: queue.filter((q): q is QueueRecord => !!q),
    runningSessions: ours(sessions).map((c) => ({
      name: nameOf(c), labels: c.Labels ?? {}, image: c.ImageID,
      gpus: (c.Labels?.[SESSION_GPUS_LABEL] ?? '').split(',').filter((g) => g && g !== 'all'),
    })),
    policyVolumes: ours(policyVolumes.Volumes ?? []),
    noticeVolumes: ours(noticeVolumes.Volumes ?? []),
    agent: agent ? { running: agent.State === 'running', version: Number(agent.Labels?.[AGENT_VERSION_LABEL]) || 0, image: agent.ImageID, name: nameOf(agent) } : undefined,
  };
}
