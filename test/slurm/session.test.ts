// Sessions on the real test Slurm cluster (scripts/test-env/slurm.sh): real slurmctld/slurmd, real
// podman on the nodes, real SSH to the login node, real Jupyter in the job's container.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../src/main/core/core';
import { JupyterClient } from '../../src/main/core/jupyter/client';
import { openConfSettings } from '../../src/main/core/settings/conf-store';
import { testEnv } from '../support/env';
import { makeProject } from '../support/fixture-project';
import { clusterFixture, clusterImageVersion, eventually, slurmOrSkip, type ClusterFixture } from './support';

const { env, skip } = slurmOrSkip();
if (skip) console.warn(`skipping the Slurm session tests: ${skip}`);

describe.skipIf(!env)('sessions on a Slurm cluster', () => {
  let fx: ClusterFixture;
  beforeAll(async () => {
    fx = await clusterFixture(env!);
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
  }, 120_000);

  const containersOf = async (jobId: string) => (await fx.login(`podman ps -a --filter label=dev.benchtop.slurm.job=${jobId} --format '{{.Names}}'`)).stdout.trim();

  it('the cluster is a host of kind slurm whose check shows its partition, GPUs and my GPU quota', async () => {
    const host = await fx.core.hosts.test(fx.target);
    expect(host).toMatchObject({ kind: 'slurm', status: 'ok', fingerprint: env!.login.hostKeyFingerprint });
    expect(host.cluster?.partitions).toContainEqual(expect.objectContaining({ name: env!.partition, gpus: env!.totalGpus, nodes: env!.nodes.length }));
    expect(host.cluster?.limits).toMatchObject({ accounts: [env!.account], maxGpusPerUser: env!.maxGpusPerUser });
  });

  it('up runs the project as a job to a notebook answering through the forward; stop cancels it and leaves no container', async () => {
    const project = await fx.project();
    const steps: string[] = [];
    const info = await fx.core.slurm.up({ dir: project.dir, target: fx.target, gpus: 1, timeMinutes: 30, onStep: (s) => steps.push(s) });
    expect(info).toMatchObject({ state: 'ready', jobState: 'RUNNING', mine: true, projectName: project.name, gpus: [expect.stringMatching(/^\d$/)] });
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/lab\?token=[0-9a-f]{48}$/);
    const status = await new JupyterClient(`http://127.0.0.1:${info.hostPort}/`, new URL(info.url!).searchParams.get('token')!).status();
    expect(status.started).toBeTruthy();
    // The notebook folder is on the cluster's shared file system, and the container writes there as the user.
    const put = await fetch(`http://127.0.0.1:${info.hostPort}/api/contents/made-in-job.txt`, {
      method: 'PUT', headers: { authorization: `token ${new URL(info.url!).searchParams.get('token')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'file', format: 'text', content: 'hello from the job' }),
    });
    expect(put.status).toBeLessThan(300);
    expect((await fx.login(`cat '${info.notebooksDir}/made-in-job.txt'; stat -c %U '${info.notebooksDir}/made-in-job.txt'`)).stdout).toBe(`hello from the job${fx.user.name}\n`);
    expect(steps.some((s) => s.startsWith('submitted job'))).toBe(true);
    expect(await containersOf(info.jobId)).toBe(`benchtop-job-${info.jobId}`);

    // ps lists it; a second up of the same project reuses the job.
    expect((await fx.core.slurm.list()).map((s) => s.id)).toContain(info.id);
    expect((await fx.core.slurm.up({ dir: project.dir, target: fx.target, gpus: 1 })).jobId).toBe(info.jobId);

    // --time is the expiry: shortening it is the user's own call; lengthening is the cluster's (admins only here).
    const shorter = await fx.core.slurm.extend(info.id, 20);
    expect(Date.parse(shorter.endsAt!)).toBeLessThan(Date.parse(info.endsAt!));
    await expect(fx.core.slurm.extend(info.id, 60)).rejects.toMatchObject({ code: 'SLURM_SUBMIT_REFUSED', message: expect.stringContaining('permission denied') });

    const stopped = await fx.core.slurm.stop(info.id);
    expect(stopped).toMatchObject({ state: 'ended', message: 'ended: cancelled' });
    await eventually('the job to leave RUNNING', async () => ((await fx.core.slurm.get(info.id)).jobState === 'RUNNING' ? undefined : true));
    expect(await eventually('no container of the job', async () => ((await containersOf(info.jobId)) === '' ? 'none' : undefined))).toBe('none');
  }, 300_000);

  it('the job pulls from a registry that needs a login with the login Benchtop has, and the login does not stay on the cluster', async () => {
    // A version the nodes' stores do not hold (they were given env.image), so the node has to pull it.
    const version = Object.keys(testEnv().image.versions).find((v) => v !== clusterImageVersion(env!)) ?? clusterImageVersion(env!);
    const made = await makeProject({ registry: 'auth', version });
    const name = `slurm-test-auth-${process.pid}`;
    writeFileSync(made.devcontainerPath, readFileSync(made.devcontainerPath, 'utf8').replace('"name": "basic-analysis"', `"name": "${name}"`));
    fx.projects.push({ ...made, name });
    // podman finds an image by its digest under any name: removed whole, so the node pulls it from the registry that asks for a login.
    const forget = `id=$(podman image inspect --format '{{.Id}}' '${made.image}' 2>/dev/null) && podman rmi -f "$id" >/dev/null 2>&1; true`;
    await fx.login(forget);
    await expect(fx.core.slurm.up({ dir: made.dir, target: fx.target, gpus: 0, timeMinutes: 5 }))
      .rejects.toMatchObject({ code: 'SLURM_JOB_FAILED', message: expect.stringContaining('could not pull') });

    // The same person after `docker login` on this computer (Benchtop reads Docker's config.json).
    const { address, username, password } = testEnv().authRegistry;
    const dockerConfig = join(fx.dir, 'docker-config');
    mkdirSync(dockerConfig, { recursive: true });
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [address]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } }));
    const loggedIn = new Core({ settings: openConfSettings(join(fx.dir, 'settings')), shell: 'cli', env: { ...fx.coreEnv, DOCKER_CONFIG: dockerConfig } });
    let jobId = '';
    try {
      const info = await loggedIn.slurm.up({ dir: made.dir, target: fx.target, gpus: 0, timeMinutes: 5 });
      jobId = info.jobId;
      expect(info.state).toBe('ready');
      const stateDir = (await fx.login(`sacct --noheader --parsable2 --jobs=${info.jobId} --format=WorkDir | head -n1`)).stdout.trim();
      expect((await fx.login(`ls -A '${stateDir}'`)).stdout.split('\n')).not.toContain('registry');
      expect((await fx.login(`grep -rl '${Buffer.from(`${username}:${password}`).toString('base64')}' '${fx.user.sharedDir}/.benchtop' 2>/dev/null; true`)).stdout.trim()).toBe('');
      await loggedIn.slurm.stop(info.id);
      await eventually('the job to leave RUNNING', async () => ((await loggedIn.slurm.get(info.id)).jobState === 'RUNNING' ? undefined : true));
    } finally {
      await loggedIn.close();
      await eventually('no container of the auth test', async () => ((await fx.login(`podman ps -aq --filter 'label=dev.benchtop.slurm.job=${jobId}'`)).stdout.trim() === '' ? true : undefined), 60_000).catch(() => undefined);
      await fx.login(forget);
    }
  }, 300_000);

  it("a teammate's cluster session is listed read-only: whose, no URL, and stopping it is NOT_OWNER", async () => {
    const bob = await clusterFixture(env!, 'btbob');
    try {
      const project = await bob.project();
      const theirs = await bob.core.slurm.up({ dir: project.dir, target: bob.target, gpus: 0, timeMinutes: 5, noWait: true });
      const seen = (await fx.core.slurm.list(fx.target)).find((s) => s.jobId === theirs.jobId);
      expect(seen).toMatchObject({ mine: false, owner: { name: 'btbob' }, projectName: project.name });
      expect(seen?.url).toBeUndefined();
      await expect(fx.core.slurm.stop(seen!.id)).rejects.toMatchObject({ code: 'NOT_OWNER', message: expect.stringContaining('btbob') });
      await expect(fx.core.slurm.open(seen!.id)).rejects.toMatchObject({ code: 'NOT_OWNER' });
      expect((await fx.core.slurm.gpuJobs(fx.target)).find((j) => j.jobId === theirs.jobId)).toBeUndefined(); // no GPU asked: not on the board
      await bob.core.slurm.stop(theirs.id);
    } finally {
      await bob.close();
    }
  }, 180_000);

  it('a start given up on (Ctrl-C, Cancel) cancels the job it submitted', async () => {
    const project = await fx.project();
    const abort = new AbortController();
    let jobId = '';
    const up = fx.core.slurm.up({ dir: project.dir, target: fx.target, gpus: 0, timeMinutes: 5, signal: abort.signal, onStep: (step) => {
      const submitted = /^submitted job (\d+)/.exec(step);
      if (submitted) {
        jobId = submitted[1];
        abort.abort();
      }
    } });
    await expect(up).rejects.toThrow();
    expect(jobId).toMatch(/^\d+$/);
    const state = await eventually('the job to be cancelled', async () => {
      const job = await fx.core.slurm.cluster(fx.target).job(jobId);
      return !job || job.state === 'CANCELLED' ? job?.state ?? 'gone' : undefined;
    });
    expect(['CANCELLED', 'gone']).toContain(state);
  }, 120_000);

  it("the project's own Slurm choices (customizations.benchtop.slurm) size the job", async () => {
    const project = await fx.project();
    writeFileSync(project.devcontainerPath, readFileSync(project.devcontainerPath, 'utf8')
      .replace('"idleMinutes": 30,', `"idleMinutes": 30, "slurm": { "partition": "${env!.partition}", "gpus": 1, "time": "7m" },`));
    const queued = await fx.core.slurm.up({ dir: project.dir, target: fx.target, noWait: true });
    const job = await fx.core.slurm.cluster(fx.target).job(queued.jobId);
    expect(job).toMatchObject({ partition: env!.partition, gpusRequested: 1, timeLimitMinutes: 7 });
    await fx.core.slurm.stop(queued.id);
  }, 120_000);

  it('a job that cannot start its image ends, and up says so with the job\'s own words (SLURM_JOB_FAILED)', async () => {
    const project = await fx.project();
    const missing = `${project.repository}@sha256:${'e'.repeat(64)}`;
    writeFileSync(project.devcontainerPath, readFileSync(project.devcontainerPath, 'utf8').replace(project.image, missing));
    await expect(fx.core.slurm.up({ dir: project.dir, target: fx.target, gpus: 0, timeMinutes: 5 }))
      .rejects.toMatchObject({ code: 'SLURM_JOB_FAILED', message: expect.stringContaining(`failed: pull: could not pull ${missing}`), hint: expect.stringContaining('job.log') });
  }, 300_000);
});
