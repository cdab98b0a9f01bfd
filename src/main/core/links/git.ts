import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchtopError, systemCode } from '../errors';
import { isLoopbackHost } from './parse';

/**
 * The system `git`, run without a shell, for cloning a project a link names. Only https (and plain
 * http to this computer's loopback, which the tests serve) may be used, by the clone and by anything
 * it pulls in; git never prompts (a private repository fails with a hint instead of hanging), and
 * every value from the link comes after `--` or as the value of a fixed option.
 */

const CLONE_TIMEOUT_MS = 10 * 60_000;
const MAX_OUTPUT = 64 * 1024;

export interface GitResult {
  stdout: string;
  stderr: string;
}

/** `git -c …safety… <args>`; rejects with GIT_MISSING, GIT_FAILED (with git's own words) or CANCELLED. */
export function runGit(args: string[], options: { cwd?: string; signal?: AbortSignal; allowLoopbackHttp?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<GitResult> {
  const safety = [
    '-c', 'protocol.allow=never',
    '-c', 'protocol.https.allow=always',
    '-c', `protocol.http.allow=${options.allowLoopbackHttp ? 'always' : 'never'}`,
    '-c', 'http.followRedirects=false',
    '-c', 'core.askPass=',
    '-c', 'credential.interactive=never',
  ];
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_PROTOCOL_FROM_USER: '0',
    GCM_INTERACTIVE: 'never',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...safety, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, timeout: CLONE_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-MAX_OUTPUT)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-MAX_OUTPUT)));
    child.once('error', (error) => {
      if (options.signal?.aborted) reject(new BenchtopError('CANCELLED', 'The clone was cancelled.'));
      else if (systemCode(error) === 'ENOENT') reject(new BenchtopError('GIT_MISSING', 'git is not installed (or not on PATH).', 'Install git (https://git-scm.com/downloads), then open the link again.'));
      else reject(new BenchtopError('GIT_FAILED', `git could not run: ${error.message}`, 'Check that git works in a terminal (`git --version`).'));
    });
    child.once('close', (code, signal) => {
      if (code === 0) return resolve({ stdout, stderr });
      if (options.signal?.aborted) return reject(new BenchtopError('CANCELLED', 'The clone was cancelled.'));
      const said = stderr.trim().split('\n').filter((l) => !l.startsWith('Cloning into')).slice(-3).join(' ').slice(0, 500);
      const auth = /Authentication failed|could not read Username|terminal prompts disabled|403/.test(stderr);
      reject(new BenchtopError('GIT_FAILED', `git ${args[0]} failed (${signal ?? `exit ${code}`}): ${said || 'no message'}`,
        auth ? 'The repository needs a login: sign in once with `git clone` in a terminal (a credential helper keeps it), then open the link again.'
          : 'Check the repository address and branch in the link, and that this computer reaches it.'));
    });
  });
}

/** Clones `repo` (at branch or tag `ref`) into `dir`, which must not exist yet; answers the checked-out commit. */
export async function gitClone(repo: string, ref: string | undefined, dir: string, signal?: AbortSignal): Promise<string> {
  const allowLoopbackHttp = new URL(repo).protocol === 'http:' && isLoopbackHost(new URL(repo).hostname);
  const args = ['clone', '--quiet', '--no-recurse-submodules', ...(ref ? ['--branch', ref] : []), '--', repo, dir];
  await runGit(args, { signal, allowLoopbackHttp });
  return (await headFromFiles(dir)) ?? (await runGit(['rev-parse', '--verify', 'HEAD'], { cwd: dir, signal })).stdout.trim();
}

/** The checked-out commit read from a fresh clone's files (HEAD, then the loose or packed ref); undefined: ask git. */
async function headFromFiles(dir: string): Promise<string | undefined> {
  const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
  try {
    const head = (await readFile(join(dir, '.git', 'HEAD'), 'utf8')).trim();
    if (SHA.test(head)) return head;
    const ref = /^ref: (refs\/[A-Za-z0-9._/-]+)$/.exec(head)?.[1];
    if (!ref || ref.includes('..')) return undefined;
    const loose = await readFile(join(dir, '.git', ref), 'utf8').then((t) => t.trim(), () => undefined);
    if (loose && SHA.test(loose)) return loose;
    const packed = await readFile(join(dir, '.git', 'packed-refs'), 'utf8').catch(() => '');
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    const sha = line?.split(' ')[0];
    return sha && SHA.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}
