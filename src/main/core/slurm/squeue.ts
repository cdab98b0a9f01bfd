import { BenchtopError } from '../errors';
import { badAnswer, parseJson, slurmNumber, slurmString } from './answer';
import { gpuIdsFromGresDetail, gpusInTres } from './gres';
import type { SlurmJob } from './types';

/** The command whose answer `parseSqueue` reads (`--all`: every partition, hidden ones too). */
export const SQUEUE_COMMAND = 'squeue --all --json';

/**
 * Jobs from `squeue --json`: OpenAPI v0.0.38 (Slurm 22.05: plain numbers, `job_state` a string,
 * `gres_detail` naming each job's cards) and the later shapes (numbers as {set, infinite, number},
 * `job_state` a list). Errors the tool reports in its answer, a missing `jobs` list or an answer that
 * is not JSON are SLURM_BAD_ANSWER; a single odd job is read as far as it goes.
 */
export function parseSqueue(text: string, what = SQUEUE_COMMAND): SlurmJob[] {
  const answer = parseJson(what, text);
  const errors = (Array.isArray(answer.errors) ? answer.errors : []).filter((e): e is Record<string, unknown> => Boolean(e) && typeof e === 'object');
  const said = errors.map((e) => [slurmString(e.description), slurmString(e.error)].filter(Boolean).join(': ')).filter(Boolean).join('; ');
  // squeue --json exits 0 even when it could not load the queue: its errors say so, with an empty list.
  if (errors.some((e) => slurmString(e.source) === 'slurm_load_jobs')) {
    throw new BenchtopError('SLURM_UNREACHABLE', `The Slurm controller did not give the queue (${what}: ${said}).`,
      'slurmctld may be down or restarting; try again in a minute, or ask the cluster\'s admins (`scontrol ping` on the login node shows it).');
  }
  const jobs = answer.jobs;
  if (!Array.isArray(jobs) || (jobs.length === 0 && errors.length > 0)) {
    throw badAnswer(what, said ? `it reports ${said}` : 'it has no "jobs" list', text);
  }
  return jobs.filter((j): j is Record<string, unknown> => Boolean(j) && typeof j === 'object').map(jobOf).filter((j) => j.id !== '');
}

function jobOf(j: Record<string, unknown>): SlurmJob {
  const gpuIds = gpuIdsFromGresDetail(j.gres_detail);
  const requested = gpusInTres(j.tres_req_str) || gpusInTres(j.tres_alloc_str) || gresPerNode(j.tres_per_node) * Math.max(1, slurmNumber(j.node_count) ?? 1);
  return {
    id: slurmString(j.job_id),
    name: slurmString(j.name),
    user: slurmString(j.user_name),
    account: slurmString(j.account) || undefined,
    partition: slurmString(j.partition),
    qos: slurmString(j.qos) || undefined,
    state: slurmString(j.job_state) || 'UNKNOWN',
    reason: slurmString(j.state_reason) || 'None',
    nodes: slurmString(j.nodes),
    gpuIds,
    gpusRequested: Math.max(requested, gpuIds.length),
    timeLimitMinutes: slurmNumber(j.time_limit),
    submitTime: slurmNumber(j.submit_time),
    startTime: slurmNumber(j.start_time),
    endTime: slurmNumber(j.end_time),
    priority: slurmNumber(j.priority),
    comment: slurmString(j.comment),
  };
}

/** `gres:gpu:2`, `gres/gpu:2` or `gpu:2` per node (tres_per_node). */
function gresPerNode(value: unknown): number {
  const m = /(?:^|[,/:])gpu(?::[A-Za-z0-9_.-]+)?[:=](\d+)/.exec(slurmString(value));
  return m ? Number(m[1]) : 0;
}

/**
 * Where a pending job stands in its partition's line: 1 + the pending jobs ahead of it (higher
 * priority, or the same and submitted earlier). Undefined for a job that is not pending.
 */
export function queuePosition(job: SlurmJob, all: SlurmJob[]): number | undefined {
  if (job.state !== 'PENDING') return undefined;
  const ahead = all.filter((o) => o.id !== job.id && o.state === 'PENDING' && o.partition === job.partition
    && ((o.priority ?? 0) > (job.priority ?? 0) || ((o.priority ?? 0) === (job.priority ?? 0) && (o.submitTime ?? 0) < (job.submitTime ?? 0))
      || ((o.priority ?? 0) === (job.priority ?? 0) && (o.submitTime ?? 0) === (job.submitTime ?? 0) && Number(o.id) < Number(job.id))));
  return ahead.length + 1;
}
