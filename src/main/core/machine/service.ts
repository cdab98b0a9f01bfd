import type { CheckReport, CheckResult, CheckStatus } from '../../../shared/contract/machine';
import type { Clock } from '../clock';
import type { EngineService } from '../engine/service';
import { BenchtopError, toErrorInfo } from '../errors';
import type { NvidiaSmiOutcome } from '../gpu/nvidia-smi';
import type { Operation } from '../operation';
import type { SettingsStore } from '../settings/store';
import { withTimeout } from '../timeout';
import { stopwatch } from './elapsed';
import { MACHINE_CHECKS } from './checks';
import { ENGINE_CHECK_TIMEOUT_MS, gatherEngineFacts } from './engine-facts';
import { gatherImageFacts, IMAGE_FACTS_TIMEOUT_MS, type RegistryImageFacts } from './image-facts';
import { reportText } from './report-text';
import type { CheckContext, EngineFacts, ImageFacts, MachineCheck, ProjectFacts } from './types';
import { imageToRun } from '../project/image-to-run';

export interface MachineCheckDeps {
  engines: EngineService;
  settings: Pick<SettingsStore, 'get'>;
  clock: Clock;
  env: NodeJS.ProcessEnv;
  /** nvidia-smi on this computer (core.gpus.probe('local')). */
  gpuProbe: () => Promise<NvidiaSmiOutcome>;
  /** Reads a project folder (core.projects.open). */
  openProject?: (dir: string) => Promise<ProjectFacts>;
  /** Reads the pinned image's facts from its registry when it is not on this computer yet. */
  registryFacts?: RegistryImageFacts;
  checks?: readonly MachineCheck[];
  engineTimeoutMs?: number;
  imageTimeoutMs?: number;
}

export interface MachineCheckRequest {
  projectDir?: string;
  /** A project already read (the app has it open); wins over projectDir. */
  project?: ProjectFacts;
  /** Asks the engine, nvidia-smi and the registry again instead of using what this process learnt. */
  refresh?: boolean;
}

/** A check that has not answered by now is reported as such; the probes under it time out sooner. */
const CHECK_DEADLINE_MS = 8000;

/**
 * The machine check: every probe at once, each result streamed as a `checkResult` event as it
 * lands, the whole report returned at the end (also as plain text). Slow facts (the engine,
 * nvidia-smi, the image) are kept for the process's lifetime once they are good, so a second check
 * is nearly free; `refresh` asks again.
 */
export class MachineCheckService {
  readonly #deps: MachineCheckDeps;
  #engine?: Promise<EngineFacts>;
  #gpus?: Promise<NvidiaSmiOutcome>;
  readonly #images = new Map<string, Promise<ImageFacts>>();

  constructor(deps: MachineCheckDeps) {
    this.#deps = deps;
  }

  /** Each result is a `checkResult` event of `op` as it lands; cancelling `op` ends the check (CANCELLED). */
  async check(op: Operation, request: MachineCheckRequest = {}): Promise<CheckReport> {
    const { clock } = this.#deps;
    const { signal } = op;
    const startedAt = clock.now();
    const elapsed = stopwatch();
    const project = request.project ?? (request.projectDir ? await this.#openProject(request.projectDir) : undefined);
    if (request.refresh) this.forget();
    const ctx = this.#context(project);
    // The slow probes first (the engine's answers, nvidia-smi), and one I/O poll to send their
    // questions: the checks' own work (binding a hundred ports…) then overlaps with the waiting for
    // the answers instead of holding back the questions.
    // Started here only to send them early; the checks that await them report any failure as their
    // result, so this copy of the promise is not left rejected and unhandled meanwhile.
    for (const probe of [ctx.engine, ctx.gpus] as (() => Promise<unknown>)[]) Promise.resolve().then(probe).catch(() => undefined);
    await afterNextPoll();
    const checks = this.#deps.checks ?? MACHINE_CHECKS;
    let done = 0;
    const all = Promise.all(
      checks.map(async (check) => {
        const result = await runOne(check, ctx);
        if (signal.aborted) return result;
        done += 1;
        op.progress('checkResult', { result, done, total: checks.length });
        return result;
      }),
    );
    const results = await Promise.race([all, cancelled(signal)]);
    const summary: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skipped: 0 };
    for (const r of results) summary[r.status] += 1;
    const report = { startedAt: new Date(startedAt).toISOString(), durationMs: Math.round(elapsed()), results, summary };
    const header = `Benchtop machine check${project ? ` for ${describeImage(project)}` : ''}`;
    return { ...report, text: reportText(report, header) };
  }

  /** Drops what was learnt about the engine, GPUs and images (after the user fixed something). */
  forget(): void {
    this.#engine = undefined;
    this.#gpus = undefined;
    this.#images.clear();
  }

  async #openProject(dir: string): Promise<ProjectFacts> {
    if (!this.#deps.openProject) throw new BenchtopError('NOT_IMPLEMENTED', 'Projects cannot be read in this build yet.');
    return this.#deps.openProject(dir);
  }

  #context(project: ProjectFacts | undefined): CheckContext {
    const ref = project ? imageToRun(project) : undefined;
    return {
      project,
      requirements: project?.hostRequirements ?? {},
      env: this.#deps.env,
      sessionPorts: this.#deps.settings.get('sessionPorts'),
      engine: () => (this.#engine ??= this.#remember(
        gatherEngineFacts(this.#deps.engines, 'local', this.#deps.engineTimeoutMs ?? ENGINE_CHECK_TIMEOUT_MS),
        (f) => f.ok, () => (this.#engine = undefined))),
      gpus: () => (this.#gpus ??= this.#remember(this.#deps.gpuProbe(),
        (o) => o.state !== 'timeout' && o.state !== 'error', () => (this.#gpus = undefined))),
      image: async () => {
        if (!ref) return undefined;
        let pending = this.#images.get(ref);
        if (!pending) {
          pending = this.#remember(
            gatherImageFacts(this.#deps.engines, ref, this.#deps.registryFacts, this.#deps.imageTimeoutMs ?? IMAGE_FACTS_TIMEOUT_MS),
            (f) => !f.problem, () => this.#images.delete(ref));
          this.#images.set(ref, pending);
        }
        return pending;
      },
    };
  }

  /** Keeps a fact for later checks only when it is a good answer; a failure is asked again next time. */
  #remember<T>(pending: Promise<T>, good: (value: T) => boolean, drop: () => void): Promise<T> {
    void pending.then((value) => {
      if (!good(value)) drop();
    }, drop);
    return pending;
  }
}

/** `registry/team/analysis@sha256:8456778ef723 (2026.11.2)`: enough to tell pins apart in a pasted report. */
function describeImage(project: ProjectFacts): string {
  if (!project.pinned) return project.image || 'a project without an image';
  const { repository, digest, version } = project.pinned;
  return `${repository}@${digest.slice(0, 19)}${version ? ` (${version})` : ''}`;
}

/** Resolves once the event loop has polled for I/O again (two check phases from now: a connection made now is writable by then). */
async function afterNextPoll(): Promise<void> {
  for (let i = 0; i < 2; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Rejects with CANCELLED when the user cancels the operation (the probes finish on their own deadlines). */
function cancelled(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new BenchtopError('CANCELLED', 'The machine check was cancelled.'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

async function runOne(check: MachineCheck, ctx: CheckContext): Promise<CheckResult> {
  const elapsed = stopwatch();
  let outcome;
  try {
    outcome = await withTimeout(check.run(ctx), CHECK_DEADLINE_MS,
      () => new BenchtopError('TIMEOUT', `did not finish within ${CHECK_DEADLINE_MS / 1000} s`));
  } catch (error) {
    const info = toErrorInfo(error);
    outcome = { status: 'warn' as const, value: `the check could not run: ${info.message}`, code: info.code,
      hint: info.hint || 'Run the check again; if it keeps failing, report it with this text.' };
  }
  return { id: check.id, title: check.title, ...outcome, durationMs: Math.round(elapsed()) };
}
