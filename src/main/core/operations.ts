import { BenchtopError } from './errors';

/**
 * Long operations (pull, check, sync, logs) are keyed by an id the caller picks, so progress events
 * can be matched to them and the user can cancel them.
 */
export class Operations {
  readonly #running = new Map<string, AbortController>();

  /** Runs `work` under a fresh AbortSignal registered as `opId`; the id is freed when it ends. */
  async run<T>(opId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (!opId) throw new BenchtopError('INVALID_ARGUMENT', 'An operation id is required.');
    if (this.#running.has(opId)) throw new BenchtopError('INVALID_ARGUMENT', `Operation ${opId} is already running.`);
    const controller = new AbortController();
    this.#running.set(opId, controller);
    try {
      return await work(controller.signal);
    } finally {
      this.#running.delete(opId);
    }
  }

  cancel(opId: string): boolean {
    const controller = this.#running.get(opId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const controller of this.#running.values()) controller.abort();
  }

  get size(): number {
    return this.#running.size;
  }
}
