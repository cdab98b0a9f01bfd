/**
 * A pending job's reason code in words a user understands. Slurm has dozens of codes; the ones a
 * GPU session meets are named here, the rest are shown as Slurm's own code so nothing is hidden.
 */
export type PendingKind = 'gpus' | 'quota' | 'time-limit' | 'held' | 'dependency' | 'partition' | 'starting' | 'other';

export interface PendingReason {
  kind: PendingKind;
  /** Short words: "waiting for GPUs", "over your GPU quota (QOS)". */
  words: string;
  /** Slurm's code as it gave it. */
  code: string;
}

const QUOTA = /^(QOS|Assoc)(Grp|Max)/;

export function pendingReason(code: string): PendingReason {
  const c = code.trim();
  const r = (kind: PendingKind, words: string): PendingReason => ({ kind, words, code: c });
  if (c === 'Resources' || c === 'Priority' || c === 'ReqNodeNotAvail' || c === 'Nodes_required_for_job_are_DOWN,_DRAINED_or_reserved_for_jobs_in_higher_priority_partitions'
    || /^ReqNodeNotAvail/.test(c)) {
    return r('gpus', c === 'Priority' ? 'waiting for GPUs (others are ahead in the queue)' : 'waiting for GPUs');
  }
  if (/TimeLimit|PartitionTimeLimit/.test(c) && !QUOTA.test(c)) return r('time-limit', 'partition time limit (ask for less --time)');
  if (QUOTA.test(c)) {
    if (/GRES|TRES|GPU/i.test(c)) return r('quota', `over your GPU quota (${c.startsWith('QOS') ? 'QOS' : 'account'})`);
    if (/Wall|RunMins/i.test(c)) return r('quota', `over your time quota (${c.startsWith('QOS') ? 'QOS' : 'account'})`);
    return r('quota', `over your quota (${c.startsWith('QOS') ? 'QOS' : 'account'}: ${c})`);
  }
  if (/^(JobHeld|JobHeldUser|JobHeldAdmin|BeginTime)$/.test(c)) return r('held', c === 'BeginTime' ? 'waiting for its start time' : 'held');
  if (/^Dependency/.test(c)) return r('dependency', 'waiting for another job');
  if (/^Partition(Down|Inactive|NodeLimit|Config)$/.test(c)) return r('partition', `partition unavailable (${c})`);
  if (c === 'None' || c === '') return r('starting', 'about to start');
  return r('other', `pending (${c})`);
}
