import { BenchtopError } from '../errors';
import { JupyterClient } from './client';
import { sleep } from '../timeout';

export interface ReadyOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Asked between polls: a reason (error) when waiting is pointless, e.g. the container exited.
   * Called only every few polls, since it costs an engine request.
   */
  stillStarting?: () => Promise<BenchtopError | undefined>;
  /** Last log lines (token already redacted) for the error message. */
  lastLogs?: () => Promise<string>;
  now?: () => number;
}

/** Poll fast at first (Jupyter on a warm image answers in about a second), then back off. */
const pollDelay = (attempt: number) => (attempt < 30 ? 100 : attempt < 60 ? 250 : 500);
const CHECK_ALIVE_EVERY = 5;

/**
 * Resolves once Jupyter answers `/api/status` with the session's token. Fails with
 * JUPYTER_NOT_READY (with the container's last log lines) when it never does, or with whatever
 * `stillStarting` reports (exited, OOM-killed) as soon as that is known.
 */
export async function waitForJupyter(baseUrl: string, token: string, options: ReadyOptions): Promise<void> {
  const client = new JupyterClient(baseUrl, token);
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  let lastProblem = 'no answer yet';
  for (let attempt = 0; ; attempt += 1) {
    if (options.signal?.aborted) throw new BenchtopError('CANCELLED', 'Stopped waiting for Jupyter.', '');
    try {
      await client.status(1000);
      return;
    } catch (error) {
      lastProblem = describe(error);
    }
    if (attempt % CHECK_ALIVE_EVERY === CHECK_ALIVE_EVERY - 1 && options.stillStarting) {
      const reason = await options.stillStarting();
      if (reason) throw reason;
    }
    if (now() >= deadline) {
      const logs = (await options.lastLogs?.().catch(() => '')) ?? '';
      throw new BenchtopError('JUPYTER_NOT_READY',
        `Jupyter did not answer at ${baseUrl} within ${Math.round(options.timeoutMs / 1000)} s (${lastProblem}).${logs ? `\nLast log lines:\n${logs}` : ''}`,
        'Check the log above; the project’s jupyter args or the image may be wrong. Your notebooks are untouched.');
    }
    await sleep(pollDelay(attempt), options.signal);
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } } | null)?.cause?.code;
  if (cause) return cause;
  return error instanceof Error ? error.message : String(error);
}
