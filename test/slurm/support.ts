// A Core with the test Slurm cluster (scripts/test-env/slurm.sh, env.json "slurm") added as a host of
// kind slurm, logged in as one of its users, and projects pinned to the image its nodes run.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { testEnv } from '../support/env';
import { makeProject, type FixtureProject } from '../support/fixture-project';
import { onLogin, type SlurmEnv, type SlurmUser } from '../slurm-env/support';

/** The cluster from env.json, or why the Slurm tests are skipped (only when env.json has no cluster). */
export function slurmOrSkip(): { env?: SlurmEnv; skip?: string } {
  const slurm = (testEnv() as unknown as { slurm?: SlurmEnv | null }).slurm;
  return slurm ? { env: slurm } : { skip: '.test-env/env.json has no "slurm" cluster (scripts/test-env/slurm.sh did not set one up)' };
}

export interface ClusterFixture {
  core: Core;
  env: SlurmEnv;
  user: SlurmUser;
  /** The cluster's host id in this Core. */
  target: string;
  dir: string;
  /** The environment the Core runs with (for a CLI run as the same person). */
  coreEnv: NodeJS.ProcessEnv;
  projects: (FixtureProject & { name: string })[];
  /** A new project (its own name, so its own session) pinned by digest to the image the nodes have. */
  project(): Promise<FixtureProject & { name: string }>;
  /** Runs a shell line on the login node as this user over plain OpenSSH (the check beside Benchtop). */
  login(command: string): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** `slurm://btalice@127.0.0.1:2230`: what a user types. */
export const clusterSpec = (env: SlurmEnv, user: SlurmUser) => `slurm://${user.name}@${env.login.host}:${env.login.port}`;

/** The image tag the nodes were given (env.json `image`), pinned by its registry digest. */
export function clusterImageVersion(env: SlurmEnv): string {
  return env.image.split(':').pop() ?? testEnv().image.latest;
}

/** `host`: the cluster's own settings to leave out or change (e.g. no partition, so the team file's applies). */
export async function clusterFixture(env: SlurmEnv, userName = 'btalice', host: { partition?: string; restUrl?: string } = {}): Promise<ClusterFixture> {
  const user = env.users.find((u) => u.name === userName);
  if (!user) throw new Error(`env.json's cluster has no user ${userName}`);
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-slurm-'));
  const knownHosts = join(dir, 'known_hosts');
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(knownHosts, `${env.login.knownHostsLine}\n`);
  writeFileSync(sshConfig, '');
  const coreEnv: NodeJS.ProcessEnv = { ...process.env, HOME: dir, BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: sshConfig, BENCHTOP_FORWARDER: 'off' };
  delete coreEnv.SSH_AUTH_SOCK;
  const settings = openConfSettings(join(dir, 'settings'));
  settings.set('userName', userName);
  const core = new Core({ settings, shell: 'cli', env: coreEnv });
  const added = await core.hosts.add({
    spec: clusterSpec(env, user), identityFile: user.key,
    slurm: { partition: env.partition, account: env.account, qos: env.qos, sharedDir: user.sharedDir, runtime: env.runtime, gpuDevicePattern: env.gpuDevicePattern, ...host },
  });
  if (added.status !== 'added') throw new Error(`the test cluster was not added: ${added.status}`);
  const projects: (FixtureProject & { name: string })[] = [];
  return {
    core, env, user, target: added.host.id, dir, coreEnv, projects,
    async project() {
      const p = await makeProject({ version: clusterImageVersion(env) });
      // Its own name: a cluster session is found again by owner and project name.
      const name = `slurm-test-${randomBytes(4).toString('hex')}`;
      writeFileSync(p.devcontainerPath, readFileSync(p.devcontainerPath, 'utf8').replace('"name": "basic-analysis"', `"name": "${name}"`));
      const project = { ...p, name };
      projects.push(project);
      return project;
    },
    login: (command) => onLogin(env, user, command),
    async close() {
      // Whatever a test left queued or running is cancelled, so the cluster's GPUs are free for the next.
      const names = projects.map((p) => `benchtop-${p.name}`);
      if (names.length) {
        // scancel takes one --name (a comma list matches no job: that leaked hour-long jobs holding the cluster).
        const cancels = names.map((n) => `scancel --user=${user.name} --name=${n}`).join('; ');
        await onLogin(env, user, `${cancels}; rm -rf ${projects.map((p) => `'${user.sharedDir}/${p.name}'`).join(' ')}`).catch((e: unknown) => console.warn(`cluster clean-up: ${String(e)}`));
      }
      await core.close();
      for (const p of projects) await p.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns something, for waits on the cluster (no timed assertions: a generous cap). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, capMs = 180_000, everyMs = 1000): Promise<T> {
  const deadline = Date.now() + capMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
