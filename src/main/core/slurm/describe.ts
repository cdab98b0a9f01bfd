import type { Owner } from '../identity/owner';
import { queuePosition } from './squeue';
import { pendingReason } from './reasons';
import { parseJobComment, type SlurmSessionInfo } from './session-info';
import type { SlurmJob } from './types';

const ENDED_OK = new Set(['COMPLETED', 'CANCELLED', 'TIMEOUT', 'PREEMPTED', 'DEADLINE']);
const iso = (epochSeconds: number | undefined) => (epochSeconds && epochSeconds > 0 ? new Date(epochSeconds * 1000).toISOString() : undefined);

/** Whether a job is one of Benchtop's sessions (its comment carries the mark). */
export function isSessionJob(job: SlurmJob): boolean {
  return parseJobComment(job.comment) !== undefined;
}

/**
 * A session job as the user sees it: pending with its reason in words and its place in line,
 * starting/ready while it runs (ready once Benchtop reached Jupyter), or ended with how.
 */
export function describeJob(target: string, job: SlurmJob, all: SlurmJob[], owner: Owner): SlurmSessionInfo {
  const mark = parseJobComment(job.comment);
  const info: SlurmSessionInfo = {
    id: `${job.id}@${target}`,
    target,
    jobId: job.id,
    projectName: mark?.project ?? job.name.replace(/^benchtop-/, ''),
    jobState: job.state,
    state: 'starting',
    partition: job.partition,
    nodes: job.nodes,
    gpus: job.gpuIds,
    cards: job.gpuIds.map((i) => `${job.nodes}:${i}`),
    gpusRequested: job.gpusRequested,
    ...(mark ? { owner: mark.owner } : {}),
    mine: mark?.owner.id === owner.id,
  };
  if (job.state === 'PENDING') {
    const reason = pendingReason(job.reason);
    info.state = 'pending';
    info.reason = reason.words;
    info.reasonCode = reason.code;
    info.position = queuePosition(job, all);
    info.message = `${reason.words} (${reason.code})${info.position ? `, #${info.position} in line` : ''}`;
  } else if (job.state === 'RUNNING' || job.state === 'CONFIGURING') {
    info.state = 'starting';
    info.startedAt = iso(job.startTime);
    info.endsAt = iso(job.endTime);
  } else if (job.state === 'COMPLETING' || ENDED_OK.has(job.state)) {
    info.state = 'ended';
    info.startedAt = iso(job.startTime);
    info.message = endWords(job.state);
  } else {
    info.state = 'failed';
    info.message = `${endWords(job.state)}${job.reason && job.reason !== 'None' ? ` (${job.reason})` : ''}`;
  }
  return info;
}

export function endWords(state: string): string {
  switch (state) {
    case 'TIMEOUT': return 'ended: its --time ran out';
    case 'CANCELLED': return 'ended: cancelled';
    case 'COMPLETED': return 'ended (idle, or Jupyter stopped)';
    case 'COMPLETING': return 'ending';
    case 'PREEMPTED': return 'ended: preempted by a higher-priority job';
    case 'NODE_FAIL': return 'failed: its node failed';
    case 'OUT_OF_MEMORY': return 'failed: out of memory';
    default: return `ended: ${state.toLowerCase()}`;
  }
}
