import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
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
export function execIn(container: Docker.Container, cmd: string[], signal?: AbortSignal, user = '0:0'): Promise<ExecResult> {
  return withScopedSignal(signal, (scoped) => execScoped(container, cmd, user, scoped));
}

async function execScoped(container: Docker.Container, cmd: string[], user: string, signal?: AbortSignal): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, User: user });
  signal?.throwIfAborted();
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  container.modem.demuxStream(stream, stdout, stderr);
  await new Promise<void>((resolve, reject) => {
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
  // The stream can close a moment before the engine records the exit code.
  let info = await exec.inspect();
  for (let tries = 0; info.Running && tries < 100; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    info = await exec.inspect();
  }
  return { exitCode: info.ExitCode ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
}

/** Like execIn, but a non-zero exit is a SYNC_FAILED naming the step. */
export async function execOk(container: Docker.Container, cmd: string[], step: string, signal?: AbortSignal, user = '0:0'): Promise<Buffer> {
  const result = await execIn(container, cmd, signal, user);
  if (result.exitCode !== 0) {
    throw new BenchtopError('SYNC_FAILED', `${step} failed in the session container (exit ${result.exitCode}): ${result.stderr.trim().slice(0, 400) || 'no output'}.`,
      'Nothing was lost: the next sync starts over from what both sides hold. If it keeps failing, check the volume has space.');
  }
  return result.stdout;
}
