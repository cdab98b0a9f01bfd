// A Core with the test Slurm cluster (env.json "slurm") added as a host of kind slurm, and projects
// whose notebooks sync with a folder on the cluster's shared file system (issue 15).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { testEnv } from '../support/env';
import { makeProject, type FixtureProject } from '../support/fixture-project';
import { onLogin, type CommandResult, type SlurmEnv, type SlurmUser } from '../slurm-env/support';

export function clusterOrSkip(): { env?: SlurmEnv; skip?: string } {
  const slurm = (testEnv() as unknown as { slurm?: SlurmEnv | null }).slurm;
  return slurm ? { env: slurm } : { skip: '.test-env/env.json has no "slurm" cluster' };
}

export interface FolderFixture {
  core: Core;
  env: SlurmEnv;
  user: SlurmUser;
  target: string;
  home: string;
  project(): Promise<FixtureProject & { name: string; folder: string }>;
  login(command: string): Promise<CommandResult>;
  close(): Promise<void>;
}

/** A Core (its own settings and known_hosts) with the cluster added as `userName`. */
export async function folderFixture(env: SlurmEnv, userName = 'btalice', home?: string): Promise<FolderFixture> {
  const user = env.users.find((u) => u.name === userName);
  if (!user) throw new Error(`env.json's cluster has no user ${userName}`);
  const dir = home ?? mkdtempSync(join(tmpdir(), 'bt-test-slurm-sync-'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${env.login.knownHostsLine}\n`);
  writeFileSync(join(dir, 'ssh_config'), '');
  const coreEnv: NodeJS.ProcessEnv = { ...process.env, HOME: dir, BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: join(dir, 'ssh_config'), BENCHTOP_FORWARDER: 'off' };
  delete coreEnv.SSH_AUTH_SOCK;
  const settings = openConfSettings(join(dir, 'settings'));
  settings.set('userName', userName);
  const core = new Core({ settings, shell: 'cli', env: coreEnv });
  let target = 'btcluster-sync';
  if (!home) {
    const added = await core.hosts.add({
      spec: `slurm://${user.name}@${env.login.host}:${env.login.port}`, identityFile: user.key,
      slurm: { partition: env.partition, account: env.account, qos: env.qos, sharedDir: user.sharedDir, runtime: env.runtime, gpuDevicePattern: env.gpuDevicePattern },
    });
    if (added.status !== 'added') throw new Error(`the test cluster was not added: ${added.status}`);
    target = added.host.id;
  } else {
    target = core.hosts.configs().find((h) => h.kind === 'slurm')?.id ?? target;
  }
  const made: { name: string; cleanup(): Promise<void> }[] = [];
  return {
    core, env, user, target, home: dir,
    async project() {
      const p = await makeProject({ version: env.image.split(':').pop() });
      const name = `sync-test-${randomBytes(4).toString('hex')}`;
      writeFileSync(p.devcontainerPath, readFileSync(p.devcontainerPath, 'utf8').replace('"name": "basic-analysis"', `"name": "${name}"`));
      made.push({ name, cleanup: p.cleanup });
      return { ...p, name, folder: `${user.sharedDir}/${name}/notebooks` };
    },
    login: (command) => onLogin(env, user, command),
    async close() {
      if (made.length) await onLogin(env, user, `rm -rf ${made.map((p) => `'${user.sharedDir}/${p.name}'`).join(' ')}`).catch(() => undefined);
      await core.close();
      for (const p of made) await p.cleanup();
      if (!home) rmSync(dir, { recursive: true, force: true });
    },
  };
}
