import type Docker from 'dockerode';
import type { EngineEndpoint } from '../../../shared/contract/engine';
import type { EngineService } from '../engine/service';
import { toEngineInfo } from '../engine/service';
import { BenchtopError, toErrorInfo } from '../errors';
import type { EngineFacts } from './types';

/** The check asks the engine with a shorter deadline than other calls: a preflight must answer in seconds. */
export const ENGINE_CHECK_TIMEOUT_MS = 3000;

/** dockerode's typings omit the per-request abortSignal its methods accept. */
interface AbortableDocker {
  version(opts: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
  info(opts: { abortSignal: AbortSignal }): Promise<RawInfo>;
}

interface RawInfo {
  HttpProxy?: string;
  HttpsProxy?: string;
  NoProxy?: string;
  [key: string]: unknown;
}

/**
 * Asks the engine for its version and info. On timeout the requests are aborted, so an engine that
 * accepts and never answers leaves no socket behind to keep the CLI alive.
 */
export async function gatherEngineFacts(engines: EngineService, target: string, timeoutMs = ENGINE_CHECK_TIMEOUT_MS): Promise<EngineFacts> {
  const started = performance.now();
  const abort = new AbortController();
  let endpoint: EngineEndpoint | undefined;
  try {
    endpoint = await engines.endpoint(target);
    const ask = <T>(what: string, request: (d: AbortableDocker) => Promise<T>) =>
      engines.call(target, what, (d) => request(d as unknown as AbortableDocker), timeoutMs);
    const [version, info] = await Promise.all([
      ask('version', (d) => d.version({ abortSignal: abort.signal })),
      ask('info', (d) => d.info({ abortSignal: abort.signal })),
    ]);
    const proxy = { http: info.HttpProxy || undefined, https: info.HttpsProxy || undefined, no: info.NoProxy || undefined };
    return { ok: true, info: toEngineInfo(target, endpoint, version, info as Parameters<typeof toEngineInfo>[3]), proxy, durationMs: performance.now() - started };
  } catch (error) {
    const known = error instanceof BenchtopError ? error : new BenchtopError('ENGINE_ERROR', toErrorInfo(error).message, 'See the engine’s log.');
    return { ok: false, error: known, endpoint, durationMs: performance.now() - started };
  } finally {
    abort.abort();
  }
}
