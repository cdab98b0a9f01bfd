import type { ErrorCode } from '../errors';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skipped';

export interface CheckResult {
  /** Stable id, e.g. `os`, `arch`, `cpus`, `memory`, `disk`, `engine`, `engine-access`, `gpu`, `gpu-runtime`, `gpu-driver`, `ports`, `proxy`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was measured, in words (`8 cores`, `Docker 26.1.5, API 1.45`). */
  value: string;
  /** What it was held against, when anything (`≥ 4 cores from hostRequirements.cpus`). */
  requirement?: string;
  /** One line saying what to do; present on warn and fail. */
  hint?: string;
  /** The error code behind a warn or fail, when one applies (`ENGINE_PERMISSION_DENIED`, `GPU_REQUIRED`…). */
  code?: ErrorCode;
  durationMs: number;
}

export interface CheckReport {
  startedAt: string;
  durationMs: number;
  results: CheckResult[];
  summary: Record<CheckStatus, number>;
  /** The report as plain text, ready to paste into a help request. */
  text: string;
}

export interface MachineInvoke {
  machineCheck: (req: { opId: string; projectDir?: string; refresh?: boolean }) => CheckReport;
}

export interface MachineEvents {
  /** One check finished; sent while `machineCheck` runs. */
  checkResult: { opId: string; result: CheckResult; done: number; total: number };
}
