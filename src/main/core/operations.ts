import { BenchtopError } from './errors';
import type { EventBus } from './events';
import type { Logger } from './log/logger';
import { Operation } from './operation';

/**
 * Long operations (pull, check, sync, logs, starts, moves) are keyed by an id the caller picks, so
 * progress events can be matched to them and the user can cancel them. `run` makes the Operation
 * the services get.
 */
export class Operations {
  readonly #running = new Map<string, AbortController>();
  readonly #deps: { bus?: EventBus; log?: Logger };

  constructor(deps: { bus?: EventBus; log?: Logger } = {}) {
    this.#deps = deps;
  }

  /** Runs `work` with a fresh Operation registered as `opId` (cancellable by it); the id is freed when it ends. */
  async run<T>(opId: string, work: (op: Operation) => Promise<T>): Promise<T> {
    if (!opId) throw new BenchtopError('INVALID_ARGUMENT', 'An operation id is required.');
    if (this.#running.has(opId)) throw new BenchtopError('INVALID_ARGUMENT', `Operation ${opId} is already running.`);
    const controller = new AbortController();
    this.#running.set(opId, controller);
    try {
      return await work(this.create(opId, controller.signal));
    } finally {
      this.#running.delete(opId);
    }
  }

  /**
   * An Operation that is not registered (so `cancel(opId)` does not reach it): for work a caller
   * already cancels through `signal` (a background watcher, a test).
   */
  create(opId: string, signal?: AbortSignal): Operation {
    return new Operation({ id: opId, signal, bus: this.#deps.bus, log: this.#deps.log });
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
