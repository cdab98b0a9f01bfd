/**
 * Runs `work` with a signal that follows `signal` only until `work` settles. docker-modem arms an
 * abort listener on every response it reads; handing it a long-lived signal (a whole sync's) means
 * a later cancel destroys already-finished responses that nobody listens to any more, which crashes
 * the process with an uncaught AbortError. A scoped signal is never aborted after its request ends.
 */
export async function withScopedSignal<T>(signal: AbortSignal | undefined, work: (scoped: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!signal) return work(undefined);
  signal.throwIfAborted();
  const child = new AbortController();
  const abort = () => child.abort(signal.reason);
  signal.addEventListener('abort', abort, { once: true });
  try {
    return await work(child.signal);
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
