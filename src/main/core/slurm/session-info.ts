import type { SessionOwner } from '../../../shared/contract/sessions';

/** A Benchtop session on a Slurm cluster: one job, as `benchtop ps` and the app show it. */
export interface SlurmSessionInfo {
  /** `<job id>@<cluster host id>`. */
  id: string;
  target: string;
  jobId: string;
  projectName: string;
  /** Slurm's state: PENDING, RUNNING, COMPLETING, COMPLETED, CANCELLED, TIMEOUT, FAILED… */
  jobState: string;
  /** Benchtop's reading of it. */
  state: 'pending' | 'starting' | 'ready' | 'ended' | 'failed';
  /** Pending: the reason in words ("waiting for GPUs", "over your GPU quota (QOS)"), with Slurm's code. */
  reason?: string;
  reasonCode?: string;
  /** Pending: place in the partition's line (1 = next). */
  position?: number;
  partition: string;
  nodes: string;
  /** The job's GPU indexes on its node (gres_detail), once it runs. */
  gpus: string[];
  /** The same as `node:index`, unique over the cluster (every node numbers its cards from 0). */
  cards: string[];
  gpusRequested: number;
  /** ISO: when it started, and when its --time ends it. */
  startedAt?: string;
  endsAt?: string;
  owner?: SessionOwner;
  mine: boolean;
  /** Jupyter on this computer's 127.0.0.1 with its token; only for your own ready session, when asked. */
  url?: string;
  hostPort?: number;
  /** Where the notebooks are on the cluster's shared file system. */
  notebooksDir?: string;
  message?: string;
}

/** The job comment that marks a Benchtop job: `benchtop:v1:<session>:<owner id>:<owner name>:<project>` (each part URI-encoded). */
export interface JobMark {
  session: string;
  owner: SessionOwner;
  project: string;
}

const PREFIX = 'benchtop:v1:';

export function jobComment(mark: JobMark): string {
  return PREFIX + [mark.session, mark.owner.id, mark.owner.name, mark.project].map(encodeURIComponent).join(':');
}

export function parseJobComment(comment: string): JobMark | undefined {
  if (!comment.startsWith(PREFIX)) return undefined;
  const parts = comment.slice(PREFIX.length).split(':');
  if (parts.length !== 4) return undefined;
  try {
    const [session, id, name, project] = parts.map(decodeURIComponent);
    return { session, owner: { id, name }, project };
  } catch {
    return undefined;
  }
}

/** `1234@cluster` → its parts; undefined for an id that is not a cluster session's. */
export function parseSlurmSessionId(id: string): { jobId: string; target: string } | undefined {
  const m = /^(\d+)@(.+)$/.exec(id.trim());
  return m ? { jobId: m[1], target: m[2] } : undefined;
}
