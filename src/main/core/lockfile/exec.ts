import { PassThrough } from 'node:stream';
import type { EngineService } from '../engine/service';
import { BenchtopError } from '../errors';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** How long a quick command in a container (pip list, cat) may take; pip on a big env takes seconds. */
const EXEC_TIMEOUT_MS = 60_000;

/** Runs a command in a running container through the target's engine and collects its output. */
export async function execIn(engines: EngineService, target: string, containerId: string, cmd: string[]): Promise<ExecResult> {
  return engines.call(target, `exec ${cmd.join(' ')}`, async (docker) => {
    const container = docker.getContainer(containerId);
    const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = await exec.start({ hijack: true, stdin: false });
    const out = new PassThrough();
    const err = new PassThrough();
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    out.on('data', (c: Buffer) => stdout.push(c));
    err.on('data', (c: Buffer) => stderr.push(c));
    docker.modem.demuxStream(stream, out, err);
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    const info = await exec.inspect();
    return {
      exitCode: info.ExitCode ?? -1,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
  }, EXEC_TIMEOUT_MS);
}

export function execFailed(what: string, containerId: string, result: ExecResult): BenchtopError {
  return new BenchtopError('SESSION_FAILED', `${what} failed in container ${containerId.slice(0, 12)} (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().slice(0, 300)}`,
    'Check that the session still runs and that its image has python3 with pip.');
}
