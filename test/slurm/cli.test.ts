// The `benchtop` command with the real test Slurm cluster: host add slurm://, up --target CLUSTER
// --gpus --time (the URL keeps answering after the command exits: the per-user forwarder carries it
// from the login node to the compute node), ps with the job, gpus --target CLUSTER, stop.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { makeProject, type FixtureProject } from '../support/fixture-project';
import { onLogin } from '../slurm-env/support';
import { clusterImageVersion, clusterSpec, slurmOrSkip } from './support';

const { env, skip } = slurmOrSkip();
if (skip) console.warn(`skipping the Slurm CLI tests: ${skip}`);
const root = new URL('../..', import.meta.url).pathname;

describe.skipIf(!env)('benchtop with a Slurm cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-test-slurm-cli-'));
  const knownHosts = join(dir, 'known_hosts');
  const user = env!.users[0];
  const target = `${env!.login.host}-${env!.login.port}`;
  let project: FixtureProject;
  const name = `slurm-cli-${process.pid}`;
  const benchtop = (args: string[]) => runCli('source', args, {
    env: { BENCHTOP_HOME: join(dir, 'home'), BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: join(dir, 'ssh_config'), SSH_AUTH_SOCK: undefined, BENCHTOP_USER_NAME: user.name },
    cwd: root,
  });

  beforeAll(async () => {
    writeFileSync(join(dir, 'ssh_config'), '');
    project = await makeProject({ version: clusterImageVersion(env!) });
    const { readFileSync } = await import('node:fs');
    writeFileSync(project.devcontainerPath, readFileSync(project.devcontainerPath, 'utf8').replace('"name": "basic-analysis"', `"name": "${name}"`));
  }, 60_000);
  afterAll(async () => {
    await onLogin(env!, user, `scancel --user=${user.name} --name=benchtop-${name}; rm -rf '${user.sharedDir}/${name}'`).catch(() => undefined);
    await benchtop(['forwarder', 'stop']);
    await project?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('host add slurm:// asks to trust the login node, then shows partitions, GPUs and my GPU limit', async () => {
    const add = await benchtop(['host', 'add', clusterSpec(env!, user), '--identity', user.key, '--partition', env!.partition, '--account', env!.account,
      '--qos', env!.qos, '--shared-dir', user.sharedDir, '--runtime', env!.runtime, '--gpu-devices', env!.gpuDevicePattern]);
    expect(add.code).toBe(1);
    expect(add.stdout).toContain(`benchtop host trust ${target} ${env!.login.hostKeyFingerprint}`);
    const trust = await benchtop(['host', 'trust', target, env!.login.hostKeyFingerprint]);
    expect(trust.code).toBe(0);
    expect(trust.stdout).toMatch(new RegExp(`Partition ${env!.partition} \\(default\\):\\s+up, ${env!.nodes.length} nodes, ${env!.totalGpus} GPUs`));
    expect(trust.stdout).toMatch(new RegExp(`Your GPU limit:\\s+${env!.maxGpusPerUser} at a time \\(QOS\\)`));
  }, 120_000);

  it('check DIR --target CLUSTER compares the project with the cluster: GPUs over the quota and --time over the partition fail', async () => {
    const ok = await benchtop(['check', project.dir, '--target', target, '--gpus', '1', '--time', '30m']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^✓ Slurm controller: answers/m);
    expect(ok.stdout).toMatch(new RegExp(`^✓ GPUs: 1 asked \\(your quota: ${env!.maxGpusPerUser} at a time\\)`, 'm'));
    const over = await benchtop(['check', project.dir, '--target', target, '--gpus', String(env!.maxGpusPerUser + 1), '--time', '10h']);
    expect(over.code).toBe(1);
    expect(over.stdout).toContain(`✗ GPUs: ${env!.maxGpusPerUser + 1} asked, your quota is ${env!.maxGpusPerUser} at a time`);
    expect(over.stdout).toMatch(/✗ Time: 600 min asked, the partition allows/);
  }, 120_000);

  it('up --target CLUSTER --gpus 1 --time 20m prints a URL that answers after it exits; ps and gpus show the job; stop cancels it', async () => {
    const up = await benchtop(['up', project.dir, '--target', target, '--gpus', '1', '--time', '20m']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/submitted job \d+/);
    const url = up.stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/lab\?token=[0-9a-f]{48}$/);
    const parsed = new URL(url);
    const status = await fetch(`${parsed.origin}/api/status`, { headers: { authorization: `token ${parsed.searchParams.get('token')}` } });
    expect(status.status).toBe(200);
    const jobId = /Session (\d+)@/.exec(up.stderr)?.[1];
    expect(jobId).toBeTruthy();

    const ps = await benchtop(['ps']);
    expect(ps.code).toBe(0);
    expect(ps.stdout).toMatch(new RegExp(`^${jobId}@${target.replace(/\./g, '\\.')}\\s+${name}\\s+running\\s+.*bt-node\\d:\\d\\s+bt-node\\d\\s+\\d\\d:\\d\\d\\s+you$`, 'm'));
    const gpus = await benchtop(['gpus', '--target', target]);
    expect(gpus.stdout).toMatch(new RegExp(`^${jobId}\\s+${user.name} \\(you\\)\\s+benchtop-${name}\\s+running\\s+bt-node\\d:\\d`, 'm'));

    // open gives the same notebook again (the forwarder keeps its port).
    const open = await benchtop(['open', `${jobId}@${target}`]);
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout.trim()).toBe(url);

    const stop = await benchtop(['stop', `${jobId}@${target}`]);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain('cancelled (scancel)');
  }, 300_000);

  it('a job over the partition time limit is refused at submit with SLURM_SUBMIT_REFUSED', async () => {
    const up = await benchtop(['up', project.dir, '--target', target, '--time', `${env!.partitionMaxTimeMinutes + 60}m`, '--json']);
    expect(up.code).toBe(2);
    expect(JSON.parse(up.stdout)).toMatchObject({ error: { code: 'SLURM_SUBMIT_REFUSED', hint: expect.stringContaining('--time') } });
  }, 120_000);
});
