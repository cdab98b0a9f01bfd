import type { MoveStepName } from '../../../shared/contract/operations';
import { BenchtopError } from '../errors';
import type { Operation } from '../operation';

/**
 * The steps of one move, each an `op` step, and which one is running: a move that fails or is
 * cancelled names the step it stopped at. Used by both move flows (engine targets and clusters).
 */
export class MoveSteps {
  current: MoveStepName = 'sync-from-source';

  constructor(private readonly op: Operation) {}

  async run<T>(name: MoveStepName, detail: string, work: () => Promise<T>): Promise<T> {
    this.current = name;
    this.op.signal.throwIfAborted();
    this.op.step(name, detail);
    return work();
  }

  /**
   * CANCELLED or MOVE_FAILED for `error`, naming the current step. `what` is what was moved (a project
   * name or folder); `intact` ends the hint, e.g. "on both sides and the session runs on gpu-box".
   */
  failure(error: unknown, what: string, from: string, destination: string, intact: string): BenchtopError {
    if (error instanceof BenchtopError && error.code === 'CANCELLED') {
      return new BenchtopError('CANCELLED', `The move to ${destination} was cancelled at step "${this.current}"; the notebooks are intact on both sides.`, 'Move again when ready.', { cause: error });
    }
    const cause = error instanceof BenchtopError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    const hint = error instanceof BenchtopError && error.hint ? `${error.hint} ` : '';
    return new BenchtopError('MOVE_FAILED', `Moving ${what} from ${from} to ${destination} failed at step "${this.current}": ${cause}`,
      `${hint}The notebooks are intact ${intact}; fix the cause and move again.`, { cause: error });
  }
}
