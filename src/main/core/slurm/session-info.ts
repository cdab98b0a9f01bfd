import type { ClusterSession } from '../../../shared/contract/clusters';
import type { SessionOwner } from '../../../shared/contract/sessions';

/**
 * A Benchtop session on a Slurm cluster: one job, as `benchtop ps` and the app show it. The contract's
 * type is the one definition (the app receives exactly what the core builds).
 */
export type SlurmSessionInfo = ClusterSession;

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
