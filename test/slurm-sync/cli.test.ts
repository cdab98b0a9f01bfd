// benchtop sync and benchtop sync restore for a project whose session is on the real test cluster
// (issue 15): the sync finds the cluster by the queued job, and the removed versions of both sides
// are listed and restored.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { makeProject, type FixtureProject } from '../support/fixture-project';
import { onLogin } from '../slurm-env/support';
import { clusterOrSkip } from './support';

const { env, skip } = clusterOrSkip();
const root = new URL('../..', import.meta.url).pathname;

describe.skipIf(!!skip)('benchtop sync with a cluster session', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-slurm-sync-cli-'));
  const user = env!.users[0];
  const target = `${env!.login.host}-${env!.login.port}`;
  const name = `sync-cli-${process.pid}`;
  const folder = `${user.sharedDir}/${name}/notebooks`;
  let project: FixtureProject;
  const benchtop = (args: string[]) => runCli('source', args, {
    env: { BENCHTOP_HOME: join(dir, 'home'), BENCHTOP_KNOWN_HOSTS: join(dir, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(dir, 'ssh_config'), SSH_AUTH_SOCK: undefined, BENCHTOP_USER_NAME: user.name, BENCHTOP_FORWARDER: 'off' },
    cwd: root,
  });
  const login = (command: string) => onLogin(env!, user, command);

  beforeAll(async () => {
    writeFileSync(join(dir, 'ssh_config'), '');
    writeFileSync(join(dir, 'known_hosts'), `${env!.login.knownHostsLine}\n`);
    project = await makeProject({ version: env!.image.split(':').pop() });
    writeFileSync(project.devcontainerPath, readFileSync(project.devcontainerPath, 'utf8').replace('"name": "basic-analysis"', `"name": "${name}"`));
    const add = await benchtop(['host', 'add', `slurm://${user.name}@${env!.login.host}:${env!.login.port}`, '--identity', user.key, '--partition', env!.partition,
      '--account', env!.account, '--qos', env!.qos, '--shared-dir', user.sharedDir, '--runtime', env!.runtime, '--gpu-devices', env!.gpuDevicePattern]);
    expect(add.code, add.stdout + add.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await login(`scancel --user=${user.name} --name=benchtop-${name}; rm -rf '${user.sharedDir}/${name}'`).catch(() => undefined);
    await project?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('up syncs the notebooks up; sync (no --target) finds the cluster; restore lists the removed file and brings it back', async () => {
    writeFileSync(join(project.dir, 'notebooks', 'a.py'), 'a\n');
    const up = await benchtop(['up', project.dir, '--target', target, '--no-wait']);
    expect(up.code, up.stderr).toBe(0);
    expect((await login(`cat '${folder}/a.py'`)).stdout).toBe('a\n');

    await login(`printf 'b\\n' > '${folder}/b.py' && rm '${folder}/a.py'`);
    const sync = await benchtop(['sync', project.dir, '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ downloaded: 1, deleted: 1, volume: folder });
    expect(existsSync(join(project.dir, 'notebooks', 'a.py'))).toBe(false);

    const list = await benchtop(['sync', 'restore', '--list', '--project', project.dir]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/local\s+deleted\s+\S+\s*\S*\s+a\.py/);
    const restore = await benchtop(['sync', 'restore', 'a.py', '--project', project.dir]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(readFileSync(join(project.dir, 'notebooks', 'a.py'), 'utf8')).toBe('a\n');
    expect(restore.stdout).toContain(`The next sync with ${target} carries it there.`);
    expect((await benchtop(['sync', project.dir])).code).toBe(0);
    expect((await login(`cat '${folder}/a.py'`)).stdout).toBe('a\n');
  }, 240_000);
});
