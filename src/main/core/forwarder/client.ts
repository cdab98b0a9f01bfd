import { request as httpRequest } from 'node:http';
import { BenchtopError } from '../errors';
import type { Logger } from '../log/logger';
import type { ForwardInfo, ForwarderAnswer, ForwarderStatus } from './protocol';

export interface ForwarderClientOptions {
  socketPath: string;
  /**
   * Starts a forwarder in the background (detached, so it outlives this process). What it returns
   * says, while this process waits for it to answer, whether it already ended and why.
   */
  start: () => StartedForwarder | void;
  log: Logger;
  /** How long a newly started forwarder may take to answer. */
  startTimeoutMs?: number;
  /** How long one request may take (a first forward connects to the host over SSH). */
  requestTimeoutMs?: number;
}

export interface StartedForwarder {
  /** Why the started forwarder ended (its exit and last output), or undefined while it runs. */
  ended(): string | undefined;
}

/** Talks to the per-user forwarder, starting it when none answers. */
export class ForwarderClient {
  readonly #o: ForwarderClientOptions;
  #started: StartedForwarder | undefined | false = false;

  constructor(options: ForwarderClientOptions) {
    this.#o = options;
  }

  /** The local port that reaches `remotePort` on the host (or on remoteHost as the host sees it), through the forwarder (started if need be). */
  async forward(target: string, remotePort: number, remoteHost?: string): Promise<number> {
    const body = remoteHost ? { target, remotePort, remoteHost } : { target, remotePort };
    try {
      return (await this.#call<ForwardInfo>('POST', '/forwards', body)).localPort;
    } catch (error) {
      if (!notRunning(error)) throw error;
    }
    // One start per process, however many forwards it asks for at once.
    if (this.#started === false) {
      this.#o.log.info('no forwarder answers: starting one');
      this.#started = this.#o.start() ?? undefined;
    }
    // A first start on a busy machine can take several seconds (a source checkout compiles first).
    const deadline = Date.now() + (this.#o.startTimeoutMs ?? 30_000);
    for (;;) {
      try {
        return (await this.#call<ForwardInfo>('POST', '/forwards', body)).localPort;
      } catch (error) {
        if (!notRunning(error)) throw error;
        const ended = this.#started ? this.#started.ended() : undefined;
        // It ended without answering; one that lost a start race to another one ends at once too, and
        // that other one answers on the next try.
        if (ended && !(await this.#answers())) {
          throw new BenchtopError('INTERNAL', `The notebook forwarder stopped before it answered: ${ended}`,
            'Run `benchtop forwarder serve --verbose` to see why, or set BENCHTOP_FORWARDER=off to forward inside each command.', { cause: error });
        }
        if (Date.now() > deadline) {
          throw new BenchtopError('INTERNAL', `The notebook forwarder did not start (nothing answers on ${this.#o.socketPath}).`,
            'Run `benchtop forwarder serve --verbose` to see why, or set BENCHTOP_FORWARDER=off to forward inside each command.', { cause: error });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async #answers(): Promise<boolean> {
    // Any failure to answer (no socket, refused, a garbled reply) means the same: no forwarder runs there.
    return (await this.status().catch(() => undefined)) !== undefined;
  }

  /** What the forwarder carries now; undefined when none runs. */
  async status(): Promise<ForwarderStatus | undefined> {
    try {
      return await this.#call<ForwarderStatus>('GET', '/status');
    } catch (error) {
      if (notRunning(error)) return undefined;
      throw error;
    }
  }

  /** Asks the forwarder to close every forward and exit; false when none was running. */
  async stop(): Promise<boolean> {
    try {
      await this.#call('POST', '/stop');
      return true;
    } catch (error) {
      if (notRunning(error)) return false;
      throw error;
    }
  }

  #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      // agent: false: a kept-alive connection to a forwarder that has since exited would fail with EPIPE.
      const req = httpRequest({ socketPath: this.#o.socketPath, agent: false, method, path, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ForwarderAnswer<T>;
            if ('error' in answer) reject(new BenchtopError(answer.error.code, answer.error.message, answer.error.hint));
            else resolve(answer.result);
          } catch (error) {
            reject(error);
          }
        });
      });
      req.setTimeout(this.#o.requestTimeoutMs ?? 60_000, () => req.destroy(new BenchtopError('TIMEOUT', `The notebook forwarder did not answer ${method} ${path} in time.`,
        'Run `benchtop forwarder stop`, then try again.')));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/** Nothing listens on the socket (never started, or exited and left a stale file). */
function notRunning(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET';
}
