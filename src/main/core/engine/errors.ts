import type { EngineEndpoint } from '../../../shared/contract/engine';
import { BenchtopError, systemCode } from '../errors';

const describe = (e: EngineEndpoint) => `${e.address} (${e.source})`;

/**
 * Maps a failed engine request to what the user should read. Every engine call in the core goes
 * through this, so "connect ENOENT" never reaches a screen.
 */
export function engineError(error: unknown, endpoint: EngineEndpoint): BenchtopError {
  if (error instanceof BenchtopError) return error;
  const code = systemCode(error);
  const status = (error as { statusCode?: number } | null)?.statusCode;
  const reason = engineMessage(error);
  const unreachable = ['ENOENT', 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EPIPE'].includes(code ?? '');
  if (unreachable && endpoint.kind === 'ssh') {
    return new BenchtopError('ENGINE_UNREACHABLE', `Lost the engine at ${describe(endpoint)}: ${reason}.`,
      'The SSH connection or the engine on that host went away; Benchtop reconnects on the next request. Check the host with `benchtop host test`.',
      { cause: error });
  }
  if (unreachable) {
    return new BenchtopError('ENGINE_UNREACHABLE', `No container engine answers at ${describe(endpoint)}.`,
      'Start Docker (Docker Desktop, Colima, Podman or `sudo systemctl start docker`), or set DOCKER_HOST to where it listens.',
      { cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new BenchtopError('ENGINE_PERMISSION_DENIED', `This user may not use the engine socket ${endpoint.address}.`,
      'Add yourself to the docker group (`sudo usermod -aG docker $USER`, then log out and in) or use rootless Docker/Podman.',
      { cause: error });
  }
  if (status === 500 && /could not select device driver/i.test(reason)) {
    return new BenchtopError('ENGINE_NO_GPU_RUNTIME', `The engine at ${describe(endpoint)} cannot give containers GPUs: ${reason}`,
      'Install the NVIDIA Container Toolkit on that machine and restart the engine, or run the session without GPUs.',
      { cause: error });
  }
  if (status === 404) {
    return new BenchtopError('NOT_FOUND', reason || 'The engine says the object does not exist.', '', { cause: error });
  }
  return new BenchtopError('ENGINE_ERROR', `The engine at ${describe(endpoint)} answered: ${reason}`,
    'See the engine’s log for details.', { cause: error });
}

/** The daemon's own words from a dockerode error (its JSON body), else the error message. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: unknown } | null)?.json;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message;
  }
  const reason = (error as { reason?: unknown } | null)?.reason;
  const message = error instanceof Error ? error.message : String(error);
  return typeof reason === 'string' && !message ? reason : message.replace(/^\(HTTP code \d+\) [a-z ]+ - /i, '').trim();
}
