import { PassThrough } from 'node:stream';
import type { LifecycleCommand } from '../../../shared/contract/project';
import type { EngineService } from '../engine/service';
import { BenchtopError } from '../errors';

/**
 * postCreateCommand / postStartCommand, run inside the session the way the Dev Containers CLI runs
 * them: a string through `/bin/sh -c`, a list as the command itself, an object's named commands in
 * parallel. Output goes to `onOutput` line by line as it comes; a non-zero exit is
 * DEVCONTAINER_COMMAND_FAILED with the command's last lines.
 */
export interface LifecycleRun {
  engines: EngineService;
  target: string;
  containerId: string;
  env: Record<string, string>;
  user?: string;
  workdir: string;
  onOutput?: (line: string) => void;
}

/** `pip install -r …` on a slow network: minutes, not hours. */
const COMMAND_TIMEOUT_MS = 30 * 60_000;
const LINES_IN_ERRORS = 20;

function argvOf(command: string | string[]): string[] {
  return typeof command === 'string' ? ['/bin/sh', '-c', command] : command;
}

export async function runLifecycleCommand(run: LifecycleRun, key: 'postCreateCommand' | 'postStartCommand', command: LifecycleCommand): Promise<void> {
  if (typeof command === 'string' || Array.isArray(command)) {
    await runOne(run, key, undefined, command);
    return;
  }
  await Promise.all(Object.entries(command).map(([name, one]) => runOne(run, key, name, one)));
}

async function runOne(run: LifecycleRun, key: string, name: string | undefined, command: string | string[]): Promise<void> {
  const label = name ? `${key} ${name}` : key;
  const shown = typeof command === 'string' ? command : command.join(' ');
  run.onOutput?.(`${label}: ${shown}`);
  const tail: string[] = [];
  let partial = '';
  const take = (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split(/\r?\n/);
    partial = lines.pop() ?? '';
    for (const line of lines) {
      run.onOutput?.(line);
      tail.push(line);
      if (tail.length > LINES_IN_ERRORS) tail.shift();
    }
  };
  const exitCode = await run.engines.call(run.target, label, async (docker) => {
    const exec = await docker.getContainer(run.containerId).exec({
      Cmd: argvOf(command),
      Env: Object.entries(run.env).map(([k, v]) => `${k}=${v}`),
      User: run.user,
      WorkingDir: run.workdir,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const out = new PassThrough();
    out.on('data', take);
    docker.modem.demuxStream(stream, out, out);
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    return (await exec.inspect()).ExitCode ?? -1;
  }, COMMAND_TIMEOUT_MS);
  if (partial) take(Buffer.from('\n'));
  if (exitCode !== 0) {
    const where = `${run.containerId.slice(0, 12)}${run.target === 'local' ? '' : ` on ${run.target}`}`;
    throw new BenchtopError('DEVCONTAINER_COMMAND_FAILED',
      `devcontainer.json's ${label} (${shown}) exited with code ${exitCode} in session ${where}.${tail.length ? `\nLast lines:\n${tail.join('\n')}` : ''}`,
      `Fix the command in devcontainer.json (or the image it needs), then start the session again; \`benchtop logs\` shows Jupyter's side.`);
  }
}

/** postCreateCommand, then postStartCommand: each container is new at every start, so both run each time. */
export async function runSessionLifecycle(run: LifecycleRun, commands: { postCreateCommand?: LifecycleCommand; postStartCommand?: LifecycleCommand }): Promise<void> {
  if (commands.postCreateCommand !== undefined) await runLifecycleCommand(run, 'postCreateCommand', commands.postCreateCommand);
  if (commands.postStartCommand !== undefined) await runLifecycleCommand(run, 'postStartCommand', commands.postStartCommand);
}
