import { useCallback, useRef, useState } from 'react';
import type { CheckResult, PullProgress, SessionInfo } from '../../../shared/ipc';
import { api, errorInfo } from '../api';
import { runStart, START_STEPS, StepFailure, type StepId, type StepStatus } from '../lib/start-flow';

export type Steps = Record<StepId, StepStatus>;
const idleSteps: Steps = { check: 'waiting', session: 'waiting', open: 'waiting' };

export interface StartFlow {
  dir: string | null;
  steps: Steps;
  checks: CheckResult[];
  checkTotal: number;
  /** The last check report as text (null until a check finishes). */
  checkReport: string | null;
  pull: PullProgress | null;
  detail: string;
  session: SessionInfo | null;
  failure: StepFailure | null;
  running: boolean;
  start(dir: string, from: StepId): Promise<void>;
  cancel(): void;
}

/**
 * The Start flow's state, held by the app shell rather than the Welcome screen, so leaving the screen
 * while an image downloads neither loses the progress nor stops the work.
 */
export function useStartFlow(): StartFlow {
  const [dir, setDir] = useState<string | null>(null);
  const [steps, setSteps] = useState<Steps>(idleSteps);
  const [checks, setChecks] = useState<CheckResult[]>([]);
  const [checkTotal, setCheckTotal] = useState(0);
  const [checkReport, setCheckReport] = useState<string | null>(null);
  const [pull, setPull] = useState<PullProgress | null>(null);
  const [detail, setDetail] = useState('');
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [failure, setFailure] = useState<StepFailure | null>(null);
  const [running, setRunning] = useState(false);
  const opRef = useRef<string | null>(null);
  const busy = useRef(false);
  const sessionRef = useRef<SessionInfo | null>(null);

  const start = useCallback(async (projectDir: string, from: StepId) => {
    if (busy.current) return;
    busy.current = true;
    setRunning(true);
    setFailure(null);
    setDir(projectDir);
    const resetFrom = START_STEPS.findIndex((x) => x.id === from);
    setSteps((s) => {
      const next = { ...s };
      START_STEPS.forEach((step, i) => {
        if (i >= resetFrom) next[step.id] = 'waiting';
      });
      return next;
    });
    if (from === 'check') {
      setChecks([]);
      setCheckTotal(0);
      setCheckReport(null);
    }
    if (from !== 'open') {
      setPull(null);
      setDetail('');
      sessionRef.current = null;
      setSession(null);
    }
    const keep = (info: SessionInfo) => {
      sessionRef.current = info;
      setSession(info);
    };
    try {
      const info = await runStart(
        api,
        projectDir,
        from,
        {
          step: (id, status) => setSteps((s) => ({ ...s, [id]: status })),
          check: (result, _done, total) => {
            setCheckTotal(total);
            setChecks((list) => [...list.filter((r) => r.id !== result.id), result]);
          },
          report: setCheckReport,
          pull: setPull,
          detail: setDetail,
          session: keep,
          operation: (opId) => (opRef.current = opId),
        },
        sessionRef.current ?? undefined,
      );
      keep(info);
    } catch (e) {
      setFailure(e instanceof StepFailure ? e : new StepFailure(from, errorInfo(e)));
    } finally {
      busy.current = false;
      setRunning(false);
    }
  }, []);

  const cancel = useCallback(() => {
    if (opRef.current) void api.operationCancel({ opId: opRef.current });
  }, []);

  return { dir, steps, checks, checkTotal, checkReport, pull, detail, session, failure, running, start, cancel };
}
