import type { EngineEndpoint } from '../../../shared/contract/engine';
import type { EngineService } from '../engine/service';
import { toEngineInfo } from '../engine/service';
import { BenchtopError, toErrorInfo } from '../errors';
import { stopwatch } from './elapsed';
import type { EngineFacts } from './types';

/** The check asks the engine with a shorter deadline than other calls: a preflight must answer in seconds. */
export const ENGINE_CHECK_TIMEOUT_MS = 3000;

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
  const elapsed = stopwatch();
  let endpoint: EngineEndpoint | undefined;
  try {
    const answers = await engines.versionAndInfo<RawInfo>(target, timeoutMs);
    endpoint = answers.endpoint;
    const { version, info } = answers;
    const proxy = { http: info.HttpProxy || undefined, https: info.HttpsProxy || undefined, no: info.NoProxy || undefined };
    return { ok: true, info: toEngineInfo(target, endpoint, version, info as Parameters<typeof toEngineInfo>[3]), proxy, durationMs: elapsed() };
  } catch (error) {
    const known = error instanceof BenchtopError ? error : new BenchtopError('ENGINE_ERROR', toErrorInfo(error).message, 'See the engine’s log.');
    // Where the engine was looked for, for the report; when even that cannot be said, `known` says why.
    endpoint ??= await engines.whereIs(target).catch(() => undefined); // `known` is the report's error
    return { ok: false, error: known, endpoint, durationMs: elapsed() };
  }
}
