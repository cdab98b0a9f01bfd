import type Docker from 'dockerode';

/**
 * Splits the engine's multiplexed log stream (8-byte frame headers: stream type, then length) into
 * text lines, and keeps partial frames and partial lines between chunks.
 */
export class LogDemuxer {
  #pending: Buffer = Buffer.alloc(0);
  readonly #partial = { 1: '', 2: '' } as Record<number, string>;

  /** Feeds a chunk; returns the complete lines it finished. */
  push(chunk: Buffer): string[] {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    const lines: string[] = [];
    while (this.#pending.length >= 8) {
      const type = this.#pending[0];
      const length = this.#pending.readUInt32BE(4);
      if (type > 2 || this.#pending[1] !== 0) {
        // Not multiplexed (a TTY container): the rest is plain text.
        lines.push(...this.#text(1, this.#pending.toString('utf8')));
        this.#pending = Buffer.alloc(0);
        break;
      }
      if (this.#pending.length < 8 + length) break;
      lines.push(...this.#text(type === 2 ? 2 : 1, this.#pending.subarray(8, 8 + length).toString('utf8')));
      this.#pending = this.#pending.subarray(8 + length);
    }
    return lines;
  }

  /** Whatever is left without a final newline. */
  end(): string[] {
    const rest = [this.#partial[1], this.#partial[2]].filter(Boolean);
    this.#partial[1] = '';
    this.#partial[2] = '';
    return rest;
  }

  #text(stream: number, text: string): string[] {
    const parts = (this.#partial[stream] + text).split(/\r?\n/);
    this.#partial[stream] = parts.pop() ?? '';
    return parts;
  }
}

/** Never let the session token reach a screen, a log file or an error report. */
export function redactor(token: string | undefined): (line: string) => string {
  if (!token) return (line) => line;
  return (line) => line.split(token).join('<token>');
}

/** Benchtop's own readiness polls, which would otherwise fill the log shown with an error. */
const OWN_POLLS = /GET \/api\/status\b/;

/** The container's last lines for error messages: token redacted, Benchtop's own polls left out. */
export async function lastLogLines(container: Docker.Container, count: number, token: string | undefined): Promise<string> {
  const raw = (await container.logs({ stdout: true, stderr: true, follow: false, tail: count * 20 })) as unknown as Buffer;
  const demux = new LogDemuxer();
  const redact = redactor(token);
  const lines = [...demux.push(Buffer.from(raw)), ...demux.end()].filter((l) => !OWN_POLLS.test(l));
  return lines.slice(-count).map(redact).map((l) => `  | ${l}`).join('\n');
}

export interface FollowOptions {
  follow: boolean;
  tail?: number;
  signal?: AbortSignal;
  token?: string;
  /** Called with batches of lines (at most every 100 ms while following). */
  onLines(lines: string[]): void;
}

/** Streams a session's log as lines until its end (or the container stops, or the signal aborts). */
export async function streamLogs(container: Docker.Container, options: FollowOptions): Promise<number> {
  const redact = redactor(options.token);
  const demux = new LogDemuxer();
  let count = 0;
  const deliver = (lines: string[]) => {
    if (lines.length === 0) return;
    count += lines.length;
    options.onLines(lines.map(redact));
  };
  const tail = options.tail;
  if (!options.follow) {
    const raw = (await container.logs({ stdout: true, stderr: true, follow: false, tail })) as unknown as Buffer;
    deliver([...demux.push(Buffer.from(raw)), ...demux.end()]);
    return count;
  }
  const stream = (await container.logs({ stdout: true, stderr: true, follow: true, tail, abortSignal: options.signal })) as NodeJS.ReadableStream;
  await new Promise<void>((resolve) => {
    let batch: string[] = [];
    const timer = setInterval(() => {
      deliver(batch);
      batch = [];
    }, 100);
    const finish = () => {
      clearInterval(timer);
      deliver([...batch, ...demux.end()]);
      batch = [];
      options.signal?.removeEventListener('abort', abort);
      resolve();
    };
    const abort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      finish();
    };
    if (options.signal?.aborted) return abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    stream.on('data', (chunk: Buffer) => batch.push(...demux.push(chunk)));
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
  return count;
}
