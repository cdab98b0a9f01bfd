// Joining a team whose file lists the test Slurm cluster (env.json "slurm"): the new hire's install
// adds it as a slurm host logged in as themself, trusting exactly the listed login-node key, and a
// Start with no target then goes to the cluster as the team's default target. Real cluster, real
// login node over SSH; a wrong fingerprint in the team file leaves the cluster untrusted.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { Core } from '../../src/main/core/core';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { makeProject, type FixtureProject } from '../support/fixture-project';
import { onLogin, type SlurmEnv, type SlurmUser } from '../slurm-env/support';
import { clusterImageVersion, slurmOrSkip } from '../slurm/support';

const { env } = slurmOrSkip();
const WRONG_FP = `SHA256:${'C'.repeat(43)}`;

/** The lead's team file: the cluster by its login node only (no user), `{user}` in its shared folder. */
function teamFile(e: SlurmEnv, fingerprint: string): unknown {
  return {
    name: 'Cluster team',
    hosts: [{
      id: 'btcluster', kind: 'slurm', address: `${e.login.host}:${e.login.port}`, fingerprints: [fingerprint],
      slurm: { sharedDir: `${e.sharedDir}/{user}`, runtime: e.runtime, gpuDevicePattern: e.gpuDevicePattern },
    }],
    defaultTarget: 'btcluster',
    slurm: { partition: e.partition, account: e.account, qos: e.qos },
  };
}

describe.skipIf(!env)('joining a team that lists a Slurm cluster (real cluster)', () => {
  const e = env!;
  let alice: SlurmUser;
  let home: string;
  let knownHosts: string;
  let core: Core;
  let api: ReturnType<typeof createHandlers>;
  const projects: (FixtureProject & { name: string })[] = [];

  /** A project pinned to the nodes' image, its own name, carrying the given team file. */
  async function projectWithTeam(team: unknown): Promise<FixtureProject & { name: string }> {
    const p = await makeProject({ version: clusterImageVersion(e) });
    const name = `team-join-${randomBytes(4).toString('hex')}`;
    writeFileSync(p.devcontainerPath, readFileSync(p.devcontainerPath, 'utf8').replace('"name": "basic-analysis"', `"name": "${name}"`));
    mkdirSync(join(p.dir, '.benchtop'), { recursive: true });
    writeFileSync(join(p.dir, '.benchtop', 'team.json'), JSON.stringify(team, null, 2));
    const project = { ...p, name };
    projects.push(project);
    return project;
  }

  /**
   * A new hire's install: nothing trusted yet, their own key and login name (`User`) for the login node
   * in their ssh config; with `displayName`, the name teammates see is set in Settings too (it is
   * not an account, and the join must not log in with it).
   */
  function newHire(user: SlurmUser, displayName?: string): { core: Core; home: string; knownHosts: string } {
    const dir = mkdtempSync(join(tmpdir(), 'bt-test-team-cluster-'));
    const known = join(dir, 'known_hosts');
    writeFileSync(known, '');
    writeFileSync(join(dir, 'ssh_config'), `Host ${e.login.host}\n  IdentityFile ${user.key}\n  IdentitiesOnly yes\n  User ${user.name}\n`);
    const coreEnv: NodeJS.ProcessEnv = { ...process.env, HOME: dir, BENCHTOP_KNOWN_HOSTS: known, BENCHTOP_SSH_CONFIG: join(dir, 'ssh_config'), BENCHTOP_FORWARDER: 'off' };
    delete coreEnv.SSH_AUTH_SOCK;
    const settings = openConfSettings(join(dir, 'settings'));
    if (displayName) settings.set('userName', displayName);
    return { core: new Core({ settings, shell: 'cli', env: coreEnv }), home: dir, knownHosts: known };
  }

  beforeAll(() => {
    alice = e.users.find((u) => u.name === 'btalice')!;
    ({ core, home, knownHosts } = newHire(alice, 'Alice'));
    api = createHandlers(core);
  });

  afterAll(async () => {
    const names = projects.map((p) => `benchtop-${p.name}`);
    if (names.length) {
      const cancels = names.map((n) => `scancel --user=${alice.name} --name=${n}`).join('; ');
      await onLogin(e, alice, `${cancels}; rm -rf ${projects.map((p) => `'${alice.sharedDir}/${p.name}'`).join(' ')}`).catch((err: unknown) => console.warn(`cluster clean-up: ${String(err)}`));
    }
    await core?.close();
    for (const p of projects) await p.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  it('a wrong fingerprint in the team file: key-not-listed, nothing trusted', async () => {
    const p = await projectWithTeam(teamFile(e, WRONG_FP));
    const [refused] = await core.team.joinHosts(p.dir);
    expect(refused).toMatchObject({ id: 'btcluster', status: 'key-not-listed', fingerprint: e.login.hostKeyFingerprint });
    expect(readFileSync(knownHosts, 'utf8')).toBe('');
    const { hosts } = await api.teamJoinHosts({ dir: p.dir });
    expect(hosts[0]).toMatchObject({ id: 'btcluster', status: 'key-not-listed', message: expect.stringContaining('which the team file does not list') });
    expect(readFileSync(knownHosts, 'utf8')).toBe('');
  }, 120_000);

  it('the listed fingerprint: the cluster is added as a slurm host, logged in as the user, with the team\'s job settings', async () => {
    const p = await projectWithTeam(teamFile(e, e.login.hostKeyFingerprint));
    const [joined] = await core.team.joinHosts(p.dir);
    expect(joined).toMatchObject({ id: 'btcluster', status: 'trusted' });
    expect(readFileSync(knownHosts, 'utf8')).toContain(e.login.knownHostsLine.split(' ').slice(1).join(' '));
    const clusters = core.hosts.configs().filter((h) => h.kind === 'slurm');
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({
      spec: `slurm://${alice.name}@${e.login.host}:${e.login.port}`, user: alice.name, hostname: e.login.host, port: e.login.port,
      slurm: { partition: e.partition, account: e.account, qos: e.qos, sharedDir: alice.sharedDir, runtime: e.runtime, gpuDevicePattern: e.gpuDevicePattern },
    });

    // A second join (the link opened twice) changes nothing.
    const again = await api.teamJoinHosts({ dir: p.dir });
    expect(again.hosts).toEqual([{ id: 'btcluster', status: 'added' }]);
    expect(core.hosts.configs().filter((h) => h.kind === 'slurm')).toHaveLength(1);
  }, 180_000);

  it('with no name in Settings, the join logs in as the ssh config\'s User for the login node', async () => {
    const bob = e.users.find((u) => u.name === 'btbob')!;
    const hire = newHire(bob);
    try {
      const p = await projectWithTeam(teamFile(e, e.login.hostKeyFingerprint));
      const [joined] = await hire.core.team.joinHosts(p.dir);
      expect(joined).toMatchObject({ id: 'btcluster', status: 'trusted' });
      const [cluster] = hire.core.hosts.configs();
      expect(cluster).toMatchObject({ kind: 'slurm', spec: `slurm://${bob.name}@${e.login.host}:${e.login.port}`, user: bob.name, slurm: { sharedDir: bob.sharedDir } });
      expect((await hire.core.hosts.test(cluster.id)).status).toBe('ok');
    } finally {
      await hire.core.close();
      rmSync(hire.home, { recursive: true, force: true });
    }
  }, 180_000);

  it('benchtop host lists it, its check and GPU jobs answer, and Start with no target submits a job there', async () => {
    const p = await projectWithTeam(teamFile(e, e.login.hostKeyFingerprint));
    const id = core.hosts.configs().find((h) => h.kind === 'slurm')!.id;
    const listed = (await api.hostList()).find((h) => h.id === id);
    expect(listed).toMatchObject({ kind: 'slurm', status: 'ok', user: alice.name });

    const check = await api.clusterCheck({ hostId: id });
    expect(check.partitions.map((part) => part.name)).toContain(e.partition);
    expect(check.gpus).toBeGreaterThan(0);
    expect(check.limits.accounts).toContain(e.account);
    expect(Array.isArray(await api.clusterGpuJobs({ target: id }))).toBe(true);

    // The user has set no default target: the team file's, the cluster, is where Start goes.
    expect(core.settings.get('defaultTarget')).toBe('local');
    const target = await api.clusterDefaultTarget({ dir: p.dir });
    expect(target).toBe(id);
    const session = await api.clusterSessionUp({ opId: `t-team-up-${Date.now()}`, dir: p.dir, target: target! });
    expect(session).toMatchObject({ target: id, projectName: p.name });
    const queued = await onLogin(e, alice, `squeue --noheader --user=${alice.name} --name=benchtop-${p.name} --format='%j %a %P'`);
    expect(queued.stdout.trim()).toBe(`benchtop-${p.name} ${e.account} ${e.partition}`);
  }, 240_000);
});
