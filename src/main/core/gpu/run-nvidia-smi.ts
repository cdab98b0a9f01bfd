import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { interpretNvidiaSmi, NVIDIA_SMI_ARGS, type NvidiaSmiOutcome } from './nvidia-smi';

export interface LocalNvidiaSmiOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export const NVIDIA_SMI_TIMEOUT_MS = 2000;

/**
 * Runs nvidia-smi on this computer, asynchronously and with a deadline. A wedged driver makes
 * nvidia-smi hang for minutes (and systeminformation's graphics() blocks the whole process with
 * execSync), so on timeout we answer at once, kill the whole process group and stop reading its
 * pipes instead of waiting for them to close.
 */
export function runLocalNvidiaSmi(options: LocalNvidiaSmiOptions = {}): Promise<NvidiaSmiOutcome> {
  const timeoutMs = options.timeoutMs ?? NVIDIA_SMI_TIMEOUT_MS;
  // Not on PATH: the answer spawning it would give (ENOENT), without starting a process or loading
  // node:child_process (a short command such as `benchtop check` on a computer without a GPU).
  if (surelyNotOnPath('nvidia-smi', options.env ?? process.env)) return Promise.resolve({ state: 'missing', detail: 'nvidia-smi is not installed' });
  const { spawn } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const ownGroup = process.platform !== 'win32';
    const child = spawn('nvidia-smi', [...NVIDIA_SMI_ARGS], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: ownGroup,
      windowsHide: true,
    });
    const finish = (outcome: NvidiaSmiOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      finish({ state: 'timeout', detail: `nvidia-smi did not answer within ${(timeoutMs / 1000).toFixed(0)} s` });
      try {
        if (ownGroup && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
    }, timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      // execvp answers EACCES when any PATH folder was unreadable, even if no nvidia-smi exists at all.
      const found = error.code === 'EACCES' ? findOnPath('nvidia-smi', options.env ?? process.env) : undefined;
      finish(
        error.code === 'ENOENT' || (error.code === 'EACCES' && !found)
          ? { state: 'missing', detail: 'nvidia-smi is not installed' }
          : { state: 'error', detail: found ? `${found} cannot be run by this user (${error.code})` : `nvidia-smi could not run: ${error.message}` },
      );
    });
    child.on('close', (exitCode) => finish(interpretNvidiaSmi({ stdout, stderr, exitCode })));
  });
}

/**
 * True when spawning `name` would certainly fail with ENOENT: PATH is set, has no empty entry (the
 * current folder) and no folder of it holds `name`. Windows (PATHEXT) is always left to the spawn.
 */
function surelyNotOnPath(name: string, env: NodeJS.ProcessEnv): boolean {
  if (process.platform === 'win32' || !env.PATH || env.PATH.split(delimiter).includes('')) return false;
  return findOnPath(name, env) === undefined;
}

/** The first `name` in a PATH folder this user can see into, if any. */
function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.F_OK);
      return join(dir, name);
    } catch {
      // not there, or the folder is closed to this user
    }
  }
  return undefined;
}
