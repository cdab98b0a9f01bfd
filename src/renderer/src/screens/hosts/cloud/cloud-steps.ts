import type { StepStatus } from '../../../lib/start-flow';

/** What "New cloud GPU VM" shows while it works: the VM's steps, then the session's. */
export const CLOUD_STEPS = [
  { id: 'create', title: 'Create the VM' },
  { id: 'ssh', title: 'Wait for SSH' },
  { id: 'docker', title: 'Docker ready' },
  { id: 'pull', title: 'Pull the image' },
  { id: 'jupyter', title: 'Start Jupyter' },
] as const;

export type CloudStepId = (typeof CLOUD_STEPS)[number]['id'];
export type CloudSteps = Record<CloudStepId, StepStatus>;

export const WAITING: CloudSteps = { create: 'waiting', ssh: 'waiting', docker: 'waiting', pull: 'waiting', jupyter: 'waiting' };

/** The shown step an operationStep of the cloud or session service belongs to. */
export function shownStepOf(step: string): CloudStepId | undefined {
  if (['credentials', 'zones', 'quota', 'cost', 'create', 'boot'].includes(step)) return 'create';
  if (step === 'ssh') return 'ssh';
  if (step === 'docker' || step === 'ready') return 'docker';
  if (step === 'check' || step === 'pull') return 'pull';
  if (['sync', 'start', 'gpu-queue', 'wait-jupyter', 'open'].includes(step)) return 'jupyter';
  return undefined;
}

/** A step has begun: the ones before it are done. */
export function advance(steps: CloudSteps, to: CloudStepId): CloudSteps {
  const at = CLOUD_STEPS.findIndex((s) => s.id === to);
  const next = { ...steps };
  CLOUD_STEPS.forEach((s, i) => {
    if (i < at) next[s.id] = 'done';
    else if (i === at) next[s.id] = 'running';
  });
  return next;
}

/** Every step up to and including `last` done. */
export function doneThrough(steps: CloudSteps, last: CloudStepId): CloudSteps {
  const at = CLOUD_STEPS.findIndex((s) => s.id === last);
  const next = { ...steps };
  CLOUD_STEPS.forEach((s, i) => {
    if (i <= at) next[s.id] = 'done';
  });
  return next;
}

/** The running step failed. */
export function failRunning(steps: CloudSteps): CloudSteps {
  const running = CLOUD_STEPS.find((s) => steps[s.id] === 'running') ?? CLOUD_STEPS.find((s) => steps[s.id] === 'waiting');
  return running ? { ...steps, [running.id]: 'failed' } : steps;
}

export const usd = (n: number): string => `$${n.toFixed(2)}`;
