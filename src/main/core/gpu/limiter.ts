/**
 * At most `size` of the wrapped calls run at once; the rest wait their turn. A burst of claims on one
 * host (a script starting many sessions) would otherwise open a channel per request on the host's one
 * SSH connection all at once, and the engine's per-request timeout would run out while they queue.
 */
export class Limiter {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#running >= this.size) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running += 1;
    try {
      return await fn();
    } finally {
      this.#running -= 1;
      this.#waiting.shift()?.();
    }
  }
}
