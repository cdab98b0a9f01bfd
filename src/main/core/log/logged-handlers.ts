import { isAbortError } from '../errors';
import type { Logger } from './logger';

/** The longest request or result written to the log per call; the rest is cut (reports and lists can be long). */
const MAX_LOGGED_CHARS = 2_000;

/**
 * Wraps every handler so each call the UI, the bridge or the CLI makes is logged: the call and its
 * request at debug, its result at debug, a failure at warn with the error's code. Secrets in
 * requests and results (a notebook URL's token, a registry password) are masked by the logger.
 */
export function loggedHandlers<H extends Record<string, (request: never) => unknown>>(handlers: H, log: Logger): H {
  const wrapped: Record<string, (request: never) => Promise<unknown>> = {};
  for (const [name, handler] of Object.entries(handlers)) {
    wrapped[name] = async (request) => {
      const started = Date.now();
      log.debug(`call ${name}`, request === undefined ? undefined : { request: clip(request) });
      try {
        const result = await handler(request);
        log.debug(`${name} done in ${Date.now() - started} ms`, result === undefined ? undefined : { result: clip(result) });
        return result;
      } catch (error) {
        // A cancelled call (the user pressed Cancel or Ctrl-C) is the normal end of it, not a failure.
        if ((error as { code?: string }).code === 'CANCELLED' || isAbortError(error)) log.debug(`${name} cancelled after ${Date.now() - started} ms`);
        else log.warn(`${name} failed after ${Date.now() - started} ms`, { error });
        throw error;
      }
    };
  }
  return wrapped as unknown as H;
}

function clip(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined || text.length <= MAX_LOGGED_CHARS) return value;
  return `${text.slice(0, MAX_LOGGED_CHARS)}… (${text.length} chars)`;
}
