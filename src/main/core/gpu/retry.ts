import { BenchtopError } from '../errors';

/**
 * Runs `fn` again (once, after a short pause) when the host's SSH connection could not even open a
 * channel in time: the request was never sent, so repeating it is safe. A loaded host's sshd does
 * that under a burst of claims; every other failure is the caller's.
 */
export async function retryUnsent<T>(fn: () => Promise<T>, pauseMs = 500): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof BenchtopError && error.code === 'HOST_UNREACHABLE' && /did not open a channel/.test(error.message))) throw error;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    return fn();
  }
}

/** For reads only (they change nothing): also once more after an engine that did not answer in time. */
export async function retryRead<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await retryUnsent(fn);
  } catch (error) {
    if (!(error instanceof BenchtopError && error.code === 'ENGINE_TIMEOUT')) throw error;
    return retryUnsent(fn);
  }
}
