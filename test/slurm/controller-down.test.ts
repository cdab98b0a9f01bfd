// A cluster whose Slurm controller is down: every Slurm answer Benchtop needs is a coded error
// (SLURM_UNREACHABLE with the controller's words), the cluster shows as unreachable in the host
// list, and nothing is submitted. slurmctld is stopped for real and started again afterwards.
import { execFileSync, execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterFixture, eventually, slurmOrSkip, type ClusterFixture } from './support';

const { env, skip } = slurmOrSkip();
if (skip) console.warn(`skipping the Slurm controller-down test: ${skip}`);
const root = new URL('../..', import.meta.url).pathname;
const canStop = process.getuid?.() === 0;

const pingOk = () => {
  try {
    execFileSync('scontrol', ['ping'], { stdio: 'pipe', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!env || !canStop)('a Slurm cluster whose controller is down', () => {
  let fx: ClusterFixture;
  beforeAll(async () => {
    fx = await clusterFixture(env!);
    // Connected and reading the queue before the controller goes.
    await fx.core.slurm.list(fx.target);
    const pid = readFileSync(env!.slurmctldPidFile, 'utf8').trim();
    process.kill(Number(pid), 'SIGTERM');
    await eventually('slurmctld to stop answering', async () => (pingOk() ? undefined : true), 60_000, 500);
  }, 120_000);
  afterAll(async () => {
    // Started again as the test environment starts it (seconds when everything else is up).
    execSync(`bash ${root}/scripts/test-env/slurm.sh`, { stdio: 'pipe', timeout: 180_000 });
    await eventually('slurmctld to answer again', async () => (pingOk() ? true : undefined), 120_000, 500);
    await fx?.close();
  }, 300_000);

  it('listing, submitting and the host check give SLURM_UNREACHABLE, never an empty queue', async () => {
    await expect(fx.core.slurm.list(fx.target)).rejects.toMatchObject({ code: 'SLURM_UNREACHABLE', message: expect.stringMatching(/controller/i) });
    const project = await fx.project();
    await expect(fx.core.slurm.up({ dir: project.dir, target: fx.target, gpus: 1, timeMinutes: 5 })).rejects.toMatchObject({ code: 'SLURM_UNREACHABLE' });
    // sbatch itself says so too (the queue check above stops `up` before it).
    await expect(fx.core.slurm.cluster(fx.target).submit({ script: '#!/bin/bash\ntrue\n', jobName: 'benchtop-never', gpus: 0, comment: '', stateDir: `${fx.user.sharedDir}/.benchtop/never`, makeDirs: [] }))
      .rejects.toMatchObject({ code: 'SLURM_UNREACHABLE', message: expect.stringContaining('Unable to contact slurm controller') });
    const [host] = await fx.core.hosts.list();
    expect(host).toMatchObject({ id: fx.target, kind: 'slurm', status: 'unreachable', message: expect.stringMatching(/controller/i) });
    // ps (every cluster) does not fail whole: the cluster is logged and left out.
    expect(await fx.core.slurm.list()).toEqual([]);
  }, 180_000);
});
