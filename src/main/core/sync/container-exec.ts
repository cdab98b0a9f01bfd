import type { ExecHost } from './exec-host';
import { once } from 'node:events';
import { BenchtopError } from '../errors';
import { withScopedSignal } from './scoped-signal';

export interface ExecResult {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs one command in a running container through the engine API (so it works the same on this
 * computer and over a host's SSH connection) and collects its output. `user` is `uid:gid`; root
 * only where a step must read everything (the sync's listing), never to write into the volume.
 */
export function execIn(container: ExecHost, cmd: string[], signal?: AbortSignal, user = '0:0', doneMarker?: string, input?: ExecInput): Promise<ExecResult> {
  return withScopedSignal(signal, (scoped) => execScoped(container, cmd, user, scoped, doneMarker, input));
}

/**
 * Feeds a command's stdin: `send` resolves once the bytes are on their way (backpressure), and
 * rejects once the command's stream has closed (it exited, or the connection was cut). Small
 * writes are gathered into pieces of INPUT_CHUNK: each piece is one write through HTTP and SSH.
 */
export type ExecInput = (send: (bytes: Uint8Array) => Promise<void>) => Promise<void>;
const INPUT_CHUNK = 256 * 1024;

/**
 * What a command prints last, and only when every step before it succeeded (`… && printf`): its
 * output then proves the exit code was 0 without asking the engine (one round trip less per exec).
 * It starts with a NUL, which neither a JSON report nor a file name can hold.
 */
export const DONE_MARKER = '\0bt-done';
export const DONE_MARKER_SH = "printf '\\000bt-done'";

async function execScoped(container: ExecHost, cmd: string[], user: string, signal?: AbortSignal, doneMarker?: string, input?: ExecInput): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, AttachStdin: !!input, AttachStdout: true, AttachStderr: true, User: user });
  signal?.throwIfAborted();
  const stream = (await exec.start({ hijack: true, stdin: !!input })) as NodeJS.ReadWriteStream & { destroy(error?: Error): void };
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  // Plain sinks, not streams: every byte demuxed is in `out`/`err` by the time the stream ends, so
  // a done marker at the very end is seen without waiting for anything else.
  const sink = (into: Buffer[]) => ({ write: (chunk: Buffer) => (into.push(chunk), true) }) as unknown as NodeJS.WritableStream;
  container.modem.demuxStream(stream, sink(out), sink(err));
  const ended = new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      stream.destroy();
      reject(new DOMException('The operation was aborted.', 'AbortError'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('end', () => resolve());
    stream.on('close', () => resolve());
    stream.on('error', reject);
  });
  let fedAll = true;
  if (input) {
    const closed = new AbortController();
    void ended.then(() => closed.abort(), () => closed.abort()); // its outcome is awaited below
    try {
      await feed(stream, input, closed.signal);
    } catch (error) {
      fedAll = false;
      // Anything but the stream closing (a file unreadable here, a cancel) cuts the command off.
      if (!closed.signal.aborted) {
        stream.destroy();
        await ended.catch(() => undefined); // the feeding error is the one to report
        throw error;
      }
    }
  }
  await ended;
  if (!fedAll) {
    // The command exited, or the connection dropped, before it had all its input: a command that
    // acts only on complete input (the sync's apply step) changed nothing.
    const said = Buffer.concat(err).toString('utf8').trim().slice(-300);
    throw new Error(`the connection to the container closed before all input was sent${said ? ` (${said})` : ''}`);
  }
  const stdoutBytes = Buffer.concat(out);
  if (doneMarker && stdoutBytes.subarray(-doneMarker.length).toString('latin1') === doneMarker) {
    return { exitCode: 0, stdout: stdoutBytes.subarray(0, stdoutBytes.length - doneMarker.length), stderr: Buffer.concat(err).toString('utf8') };
  }
  // The stream can close a moment before the engine records the exit code.
  let info = await exec.inspect();
  for (let tries = 0; info.Running && tries < 100; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    info = await exec.inspect();
  }
  return { exitCode: info.ExitCode ?? -1, stdout: stdoutBytes, stderr: Buffer.concat(err).toString('utf8') };
}

/** Runs `input` against the command's stdin in INPUT_CHUNK pieces, then closes stdin. */
async function feed(stream: NodeJS.ReadWriteStream, input: ExecInput, closed: AbortSignal): Promise<void> {
  let parts: Uint8Array[] = [];
  let held = 0;
  const write = async (piece: Uint8Array) => {
    closed.throwIfAborted();
    if (!stream.write(piece)) await once(stream, 'drain', { signal: closed });
  };
  const flush = async () => {
    if (held === 0) return;
    const piece = Buffer.concat(parts, held);
    parts = [];
    held = 0;
    await write(piece);
  };
  await input(async (bytes) => {
    parts.push(bytes);
    held += bytes.length;
    if (held >= INPUT_CHUNK) await flush();
  });
  await flush();
  closed.throwIfAborted();
  stream.end();
}

/** Like execIn, but a non-zero exit is a SYNC_FAILED naming the step. */
export async function execOk(container: ExecHost, cmd: string[], step: string, signal?: AbortSignal, user = '0:0', doneMarker?: string, input?: ExecInput): Promise<Buffer> {
  const result = await execIn(container, cmd, signal, user, doneMarker, input);
  if (result.exitCode !== 0) {
    throw new BenchtopError('SYNC_FAILED', `${step} failed in the session container (exit ${result.exitCode}): ${result.stderr.trim().slice(0, 400) || 'no output'}.`,
      'Nothing was lost: the next sync starts over from what both sides hold. If it keeps failing, check the volume has space.');
  }
  return result.stdout;
}
