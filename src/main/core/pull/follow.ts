import type Docker from 'dockerode';
import { BenchtopError } from '../errors';
import type { PullEvent } from './progress';

/** The daemon's words from an error line of the pull stream, if this line is one. */
export function pullEventError(event: PullEvent): string | undefined {
  if (event.error) return event.error;
  if (event.errorDetail?.message) return event.errorDetail.message;
  return undefined;
}

/**
 * Follows a pull stream to its end as a promise. The daemon reports failures as `error` lines inside
 * an HTTP 200 stream, so each line is checked; an abort destroys the stream (which ends the transfer
 * on the daemon's side too) and rejects with CANCELLED.
 */
export function followPull(
  modem: Docker['modem'],
  stream: NodeJS.ReadableStream,
  onEvent: (event: PullEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failure: BenchtopError | undefined;
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      settle(new BenchtopError('CANCELLED', 'The pull was cancelled.', 'Start it again when you are ready; layers already downloaded are kept.'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    modem.followProgress(
      stream,
      (error: Error | null) => {
        if (signal?.aborted) return settle(); // already rejected with CANCELLED
        if (failure) return settle(failure);
        if (error) return settle(new BenchtopError('PULL_FAILED', `The pull stream broke off: ${error.message}`, 'Check the network and try again.', { cause: error }));
        settle();
      },
      (event: PullEvent) => {
        const message = pullEventError(event);
        if (message && !failure) {
          failure = pullFailure(message);
          return;
        }
        try {
          onEvent(event);
        } catch (error) {
          failure ??= error instanceof BenchtopError ? error : new BenchtopError('INTERNAL', String(error));
        }
      },
    );
  });
}

/** Maps the daemon's pull error text to the code the user can act on. */
export function pullFailure(message: string): BenchtopError {
  if (/unauthorized|authentication required|no basic auth credentials|denied/i.test(message)) {
    return new BenchtopError('REGISTRY_AUTH_FAILED', `The registry refused the pull: ${message}`,
      'Sign in to the registry in Settings (or `docker login`) with an account that may read this image.');
  }
  if (/manifest unknown|not found|does not exist/i.test(message)) {
    return new BenchtopError('IMAGE_NOT_FOUND', `The registry does not have this image: ${message}`,
      'The pinned version may have been deleted from the registry; pin an existing version (`benchtop pin`) or ask whoever publishes the image.');
  }
  if (/no space left on device/i.test(message)) {
    return new BenchtopError('DISK_FULL', `The engine ran out of disk space while pulling: ${message}`,
      'Free space where the engine keeps images (remove unused images with `docker image prune`) and try again.');
  }
  if (/verification failed|digest did not match|digest mismatch/i.test(message)) {
    return new BenchtopError('DIGEST_MISMATCH', `What the registry sent does not match the pinned digest: ${message}`,
      'Someone may have tampered with the registry or a proxy in between; do not use this image and tell whoever publishes it.');
  }
  return new BenchtopError('PULL_FAILED', `The engine could not pull the image: ${message}`, 'Check the network and the registry, then try again.');
}
