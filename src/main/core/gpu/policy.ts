import type { HostPolicy } from '../../../shared/contract/hosts';
import { BenchtopError } from '../errors';

/**
 * The host's policy lives on the host's engine as the labels of a volume (`benchtop-policy-<stamp>`;
 * volumes need no image). Labels cannot change, so setting it adds a volume and removes the older
 * ones; the newest wins. The agent re-creates it if someone removes it (`docker volume prune`).
 * Label names are shared with src/target-agent/agent.py: never rename. Lengths are stored in
 * seconds, so tests can use short ones; the CLI and UI speak hours and minutes.
 */
export const POLICY_LABEL = 'dev.benchtop.policy';
export const POLICY_LABELS = {
  maxGpusPerUser: 'dev.benchtop.policy.max-gpus-per-user',
  leaseSeconds: 'dev.benchtop.policy.lease-seconds',
  maxLeaseSeconds: 'dev.benchtop.policy.max-lease-seconds',
  idleSeconds: 'dev.benchtop.policy.idle-seconds',
  gpuIdleUtil: 'dev.benchtop.policy.gpu-idle-util',
  setBy: 'dev.benchtop.policy.set-by',
  setAt: 'dev.benchtop.policy.set-at',
} as const;

/** What a host without a policy gets (the agent's DEFAULT_POLICY says the same). */
export const DEFAULT_POLICY: HostPolicy = { maxGpusPerUser: 0, leaseHours: 8, maxLeaseHours: 24, idleMinutes: 0, gpuIdleUtilPercent: 5 };

export function policyLabels(p: HostPolicy, setBy: string, setAt: string): Record<string, string> {
  return {
    [POLICY_LABEL]: '1',
    [POLICY_LABELS.maxGpusPerUser]: String(p.maxGpusPerUser),
    [POLICY_LABELS.leaseSeconds]: String(Math.round(p.leaseHours * 3600)),
    [POLICY_LABELS.maxLeaseSeconds]: String(Math.round(p.maxLeaseHours * 3600)),
    [POLICY_LABELS.idleSeconds]: String(Math.round(p.idleMinutes * 60)),
    [POLICY_LABELS.gpuIdleUtil]: String(p.gpuIdleUtilPercent),
    [POLICY_LABELS.setBy]: setBy,
    [POLICY_LABELS.setAt]: setAt,
  };
}

const num = (labels: Record<string, string>, key: string, fallback: number) => {
  const v = Number(labels[key]);
  return labels[key] !== undefined && Number.isFinite(v) ? v : fallback;
};

export function policyFromLabels(labels: Record<string, string> | undefined): HostPolicy {
  if (!labels || labels[POLICY_LABEL] !== '1') return { ...DEFAULT_POLICY };
  return {
    maxGpusPerUser: num(labels, POLICY_LABELS.maxGpusPerUser, DEFAULT_POLICY.maxGpusPerUser),
    leaseHours: num(labels, POLICY_LABELS.leaseSeconds, DEFAULT_POLICY.leaseHours * 3600) / 3600,
    maxLeaseHours: num(labels, POLICY_LABELS.maxLeaseSeconds, DEFAULT_POLICY.maxLeaseHours * 3600) / 3600,
    idleMinutes: num(labels, POLICY_LABELS.idleSeconds, 0) / 60,
    gpuIdleUtilPercent: num(labels, POLICY_LABELS.gpuIdleUtil, DEFAULT_POLICY.gpuIdleUtilPercent),
    setBy: labels[POLICY_LABELS.setBy] || undefined,
    setAt: labels[POLICY_LABELS.setAt] || undefined,
  };
}

/** The newest of the policy volumes (set-at, then name). */
export function newestPolicy(volumes: { Name: string; Labels?: Record<string, string> | null }[]): Record<string, string> | undefined {
  const sorted = volumes.filter((v) => v.Labels?.[POLICY_LABEL] === '1')
    .sort((a, b) => `${a.Labels?.[POLICY_LABELS.setAt] ?? ''}\0${a.Name}`.localeCompare(`${b.Labels?.[POLICY_LABELS.setAt] ?? ''}\0${b.Name}`));
  return sorted.at(-1)?.Labels ?? undefined;
}

/** A change merged onto the current policy, checked: POLICY_INVALID names the bad value. */
export function mergePolicy(current: HostPolicy, change: Partial<HostPolicy>): HostPolicy {
  const next: HostPolicy = {
    maxGpusPerUser: change.maxGpusPerUser ?? current.maxGpusPerUser,
    leaseHours: change.leaseHours ?? current.leaseHours,
    maxLeaseHours: change.maxLeaseHours ?? current.maxLeaseHours,
    idleMinutes: change.idleMinutes ?? current.idleMinutes,
    gpuIdleUtilPercent: change.gpuIdleUtilPercent ?? current.gpuIdleUtilPercent,
  };
  const bad = (what: string, value: number, rule: string) =>
    new BenchtopError('POLICY_INVALID', `The policy's ${what} cannot be ${value}: ${rule}.`, 'Run `benchtop host policy --help` for the fields and their units.');
  if (!Number.isInteger(next.maxGpusPerUser) || next.maxGpusPerUser < 0) throw bad('max GPUs per user', next.maxGpusPerUser, 'it is a whole number, 0 for no limit');
  if (!(next.leaseHours > 0)) throw bad('lease hours', next.leaseHours, 'a lease must last some time');
  if (!(next.maxLeaseHours > 0)) throw bad('max lease hours', next.maxLeaseHours, 'a lease must be allowed some time');
  if (next.leaseHours > next.maxLeaseHours) {
    // Only one of the two was given: the other follows, so `--max-lease-hours 4` on a default host works.
    if (change.maxLeaseHours === undefined) next.maxLeaseHours = next.leaseHours;
    else if (change.leaseHours === undefined) next.leaseHours = next.maxLeaseHours;
    else throw bad('lease hours', next.leaseHours, `the default lease must not be longer than the maximum (${next.maxLeaseHours} h)`);
  }
  if (!(next.idleMinutes >= 0)) throw bad('idle minutes', next.idleMinutes, 'it is 0 (no idle stop) or more');
  if (!(next.gpuIdleUtilPercent >= 0 && next.gpuIdleUtilPercent <= 100)) throw bad('GPU idle utilization', next.gpuIdleUtilPercent, 'it is a percentage, 0 to 100');
  return next;
}
