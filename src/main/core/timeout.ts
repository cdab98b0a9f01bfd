import { BenchtopError } from './errors';
import type { ErrorCode } from '../../shared/errors';

/**
 * Races a promise against a timer. Used wherever a peer can hang (an engine that accepts the
 * connection but never answers, nvidia-smi, SSH): the user gets an answer in seconds, not never.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => BenchtopError = () => new BenchtopError('TIMEOUT', `No answer within ${ms / 1000} s.`),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function timeoutError(code: ErrorCode, what: string, ms: number, hint: string): () => BenchtopError {
  return () => new BenchtopError(code, `${what} did not answer within ${(ms / 1000).toFixed(0)} s.`, hint);
}

/** Waits ms, or less when the signal aborts (resolves either way: the caller checks the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
