/**
 * Reads an engine stream of newline-separated records (events, stats samples) and hands each
 * non-empty, trimmed line to `onLine`. Resolves when the stream ends, closes or fails, or when
 * `signal` aborts (which destroys the stream); never rejects.
 */
export function followLines(stream: NodeJS.ReadableStream, signal: AbortSignal, onLine: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    let buffer = '';
    const done = () => {
      signal.removeEventListener('abort', abort);
      resolve();
    };
    const abort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      done();
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) onLine(line);
      }
    });
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}
