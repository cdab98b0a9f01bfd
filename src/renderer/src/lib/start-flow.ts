/**
 * The one-click "Start" of the Welcome screen: check the machine, bring the session up (pull,
 * start, wait for Jupyter), open the notebook. Each step can be retried on its own, so a failure
 * in the last step does not pull the image again. Event listeners live exactly as long as their call.
 */
import { decodeError, type ErrorInfo } from '../../../shared/errors';
import type { BenchtopApi, CheckReport, CheckResult, PullProgress, SessionInfo } from '../../../shared/ipc';
import { newOpId } from './opid';
import { follow } from './operation';

export type StepId = 'check' | 'session' | 'open';
export type StepStatus = 'waiting' | 'running' | 'done' | 'failed';

export const START_STEPS: readonly { id: StepId; title: string }[] = [
  { id: 'check', title: 'Check this computer' },
  { id: 'session', title: 'Start the session' },
  { id: 'open', title: 'Open the notebook' },
];

/** The session and move services' step names (operationStep events) in words. */
const OPERATION_WORDS: Record<string, string> = {
  check: 'Reading the project',
  pull: 'Getting the image',
  start: 'Starting the container',
  sync: 'Copying notebooks to the host',
  'gpu-queue': 'Waiting for a GPU',
  'wait-jupyter': 'Waiting for Jupyter',
  open: 'Opening the notebook',
  // sessionMove's steps
  'sync-from-source': 'Copying notebooks from the source',
  'sync-to-destination': 'Copying notebooks to the destination',
  'start-destination': 'Starting on the destination',
  'stop-source': 'Stopping the source',
  'final-sync': 'Copying the last changes',
  // a sync's own step
  'wait-for-sync': 'Waiting for the sync already under way',
};

/** `Waiting for Jupyter (already running)`; unknown steps keep their name. */
export function operationText(step: string, detail?: string): string {
  const words = OPERATION_WORDS[step] ?? step;
  return detail ? `${words} (${detail})` : words;
}

export const stepTitle = (id: StepId): string => START_STEPS.find((s) => s.id === id)?.title ?? id;

export interface StartListener {
  step(id: StepId, status: StepStatus): void;
  check(result: CheckResult, done: number, total: number): void;
  /** The finished check report as plain text, for a help request. */
  report(text: string): void;
  pull(progress: PullProgress): void;
  /** What the session step is doing now (`Pulling`, `Waiting for Jupyter`…). */
  detail(text: string): void;
  session(info: SessionInfo): void;
  /** The operation id of the call now running, so the user can cancel it. */
  operation(opId: string | null): void;
}

export class StepFailure extends Error {
  constructor(
    readonly step: StepId,
    readonly info: ErrorInfo,
  ) {
    super(info.message);
  }
}

/**
 * Turns a finished check report into a failure when any check failed; warnings do not stop. The
 * first failed check's own code (ENGINE_UNREACHABLE…) and hint are the ones shown.
 */
export function checkFailure(report: CheckReport): ErrorInfo | null {
  const failed = report.results.filter((r) => r.status === 'fail');
  if (failed.length === 0) return null;
  const first = failed[0] as CheckResult;
  const said = (r: CheckResult) => `${r.title}: ${r.value.replace(/\.+$/, '')}`;
  return {
    code: first.code ?? 'CHECK_FAILED',
    message: failed.length === 1 ? `${said(first)}.` : `${failed.length} checks failed. ${failed.map(said).join('; ')}.`,
    hint: first.hint ?? 'Fix the failed checks, then retry.',
  };
}

/** Runs the flow from `from` on; `session` must be given when starting at `open`. */
export async function runStart(
  api: BenchtopApi,
  dir: string,
  from: StepId,
  listen: StartListener,
  known?: SessionInfo,
): Promise<SessionInfo> {
  const order: StepId[] = ['check', 'session', 'open'];
  let session = known;
  for (const id of order.slice(order.indexOf(from))) {
    listen.step(id, 'running');
    try {
      if (id === 'check') await runCheck(api, dir, listen);
      if (id === 'session') session = await runSession(api, dir, listen);
      if (id === 'open') {
        if (!session) throw new Error('No session to open.');
        await api.sessionOpen({ id: session.id, where: 'app' });
      }
    } catch (error) {
      listen.step(id, 'failed');
      throw new StepFailure(id, error instanceof StepFailure ? error.info : decodeError(error));
    }
    listen.step(id, 'done');
  }
  return session as SessionInfo;
}

async function runCheck(api: BenchtopApi, dir: string, listen: StartListener): Promise<void> {
  const opId = newOpId('check');
  listen.operation(opId);
  const off = follow(api, opId, { checkResult: (e) => listen.check(e.result, e.done, e.total) });
  try {
    const report = await api.machineCheck({ opId, projectDir: dir, refresh: true });
    // The report is the truth even if an event was missed: replay it so the checklist is complete.
    report.results.forEach((r, i) => listen.check(r, i + 1, report.results.length));
    listen.report(report.text);
    const failure = checkFailure(report);
    if (failure) throw new StepFailure('check', failure);
  } finally {
    off();
    listen.operation(null);
  }
}

async function runSession(api: BenchtopApi, dir: string, listen: StartListener): Promise<SessionInfo> {
  const opId = newOpId('up');
  listen.operation(opId);
  const offs = [
    // The start's own steps; its children's (the sync to a host) show as the `sync` step.
    follow(api, opId, {
      pullProgress: (p) => listen.pull(p),
      operationStep: (s) => listen.detail(operationText(s.step, s.detail)),
    }, { children: false }),
    api.on('sessionState', (info) => {
      if (info.projectDir === dir) listen.session(info);
    }),
  ];
  try {
    const info = await api.sessionUp({ opId, dir });
    listen.session(info);
    return info;
  } finally {
    offs.forEach((off) => off());
    listen.operation(null);
  }
}
