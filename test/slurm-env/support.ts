// The test Slurm cluster of scripts/test-env/slurm.sh, as `.test-env/env.json` describes it under
// "slurm" (shape documented in scripts/test-env/slurm/README.md), and a plain-OpenSSH runner for
// commands on its login node.
import { execFile } from 'node:child_process';
import { testEnv } from '../support/env';

export interface SlurmUser {
  name: string;
  /** Private key that logs in as this user on the login node. */
  key: string;
  home: string;
  /** The user's folder on the cluster's "shared file system". */
  sharedDir: string;
}

export interface SlurmNode {
  name: string;
  addr: string;
  /** Network namespace the node's slurmd runs in (null: this machine's own). */
  namespace: string | null;
  gpus: number;
}

export interface SlurmEnv {
  cluster: string;
  login: { host: string; port: number; knownHosts: string; knownHostsLine: string; hostKeyFingerprint: string };
  users: SlurmUser[];
  partition: string;
  partitionMaxTimeMinutes: number;
  account: string;
  qos: string;
  maxGpusPerUser: number;
  nodes: SlurmNode[];
  gpusPerNode: number;
  totalGpus: number;
  /** Device file of card `{index}` on node `{node}` (SLURM_JOB_GPUS indexes are per node). */
  gpuDevicePattern: string;
  runtime: 'podman' | 'docker';
  /** Full image reference present in every user's container store. */
  image: string;
  /** Registry the nodes pull from (plain HTTP). */
  registry: string;
  /** Containers labelled `<jobLabel>=<job id>` are removed by the Epilog when the job ends. */
  jobLabel: string;
  restd: { url: string; apiVersion: string; jwtKeyFile: string } | null;
  sharedDir: string;
  slurmConf: string;
  slurmctldPidFile: string;
}

/** The cluster from env.json; fails with the command to run when it was never set up. */
export function slurmEnv(): SlurmEnv {
  const slurm = (testEnv() as unknown as { slurm?: SlurmEnv | null }).slurm;
  if (!slurm) throw new Error('.test-env/env.json has no "slurm": run sudo scripts/test-env/slurm.sh (or scripts/test-env.sh)');
  return slurm;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` (a shell line) as `user` on the login node over OpenSSH, checking the host key
 * against the cluster's known_hosts file only. Resolves with the exit code; rejects only when ssh
 * itself could not run.
 */
export function onLogin(env: SlurmEnv, user: SlurmUser, command: string, input?: string): Promise<CommandResult> {
  const args = [
    '-p', String(env.login.port), '-i', user.key,
    '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${env.login.knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'LogLevel=ERROR', `${user.name}@${env.login.host}`, command,
  ];
  return new Promise((resolve, reject) => {
    const child = execFile('ssh', args, { maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      if (code === null) reject(new Error(`ssh to the login node as ${user.name} failed: ${error?.message ?? ''} ${stderr}`));
      else resolve({ code, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

/** Like onLogin, but a non-zero exit is an error naming the command and its stderr. */
export async function onLoginOk(env: SlurmEnv, user: SlurmUser, command: string, input?: string): Promise<string> {
  const result = await onLogin(env, user, command, input);
  if (result.code !== 0) throw new Error(`'${command}' as ${user.name} exited ${result.code}: ${result.stderr.trim()}`);
  return result.stdout;
}

/** Polls `check` until it returns a value other than undefined, or gives up after `limitMs` (then returns undefined). */
export async function pollFor<T>(check: () => Promise<T | undefined>, limitMs: number, everyMs = 300): Promise<T | undefined> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined || Date.now() >= deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
