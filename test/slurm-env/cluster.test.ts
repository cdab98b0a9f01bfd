// Smoke test of the test Slurm cluster itself (scripts/test-env/slurm.sh), as its users see it: over
// real ssh to the login node, with Slurm's own commands and the node's container runtime. The Slurm
// target's tests build on exactly this.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onLogin, onLoginOk, pollFor, slurmEnv, type SlurmEnv, type SlurmUser } from './support';

const JOB_NAME = 'bt-slurm-env-test';
/** How long a job may take to start its container, and the Epilog to clean up (generous: a busy 2-core machine). */
const WAIT_MS = 60_000;

let env: SlurmEnv;
let alice: SlurmUser;
let bob: SlurmUser;
const outDirs = new Map<string, string>();

function outDir(user: SlurmUser): string {
  const dir = outDirs.get(user.name);
  if (!dir) throw new Error(`no output folder for ${user.name}`);
  return dir;
}

/**
 * A batch script asking for one GPU that runs a container of the test image with the cluster's runtime,
 * the job's card passed in as a device, labelled with the job id. The container prints
 * `card <node> <SLURM_JOB_GPUS> <its /dev/nvidia* files>`, then holds the card for `holdSeconds`.
 * A holding container runs detached (the job follows its log), as a session's server would: it then
 * outlives the job's own processes on scancel, and only the cluster's Epilog removes it.
 */
function gpuJob(user: SlurmUser, holdSeconds: number, node?: string): string {
  const device = env.gpuDevicePattern.replace('{node}', '${SLURMD_NODENAME}').replace('{index}', '${idx}');
  const inner = `echo "card $SLURMD_NODENAME $SLURM_JOB_GPUS $(ls /dev/nvidia*)"; sleep ${holdSeconds}`;
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=${JOB_NAME} --partition=${env.partition} --account=${env.account} --gres=gpu:1 --time=5`,
    `#SBATCH --output=${outDir(user)}/%j.out`,
    ...(node ? [`#SBATCH --nodelist=${node}`] : []),
    'set -eu',
    'idx="${SLURM_JOB_GPUS%%,*}"',
    `${holdSeconds > 0 ? 'cid=$(' : 'exec '}${env.runtime} run ${holdSeconds > 0 ? '-d ' : ''}--rm --init -e TINI_SUBREAPER=1 \\`,
    `  --label "${env.jobLabel}=$SLURM_JOB_ID" -e SLURM_JOB_GPUS -e SLURMD_NODENAME --device "${device}:/dev/nvidia\${idx}" \\`,
    `  ${env.image} sh -c '${inner}'${holdSeconds > 0 ? ')' : ''}`,
    ...(holdSeconds > 0 ? [`exec ${env.runtime} logs -f "$cid"`] : []),
    '',
  ].join('\n');
}

async function submit(user: SlurmUser, script: string, wait = false): Promise<string> {
  const out = await onLoginOk(env, user, `sbatch --parsable${wait ? ' --wait' : ''}`, script);
  const id = out.trim().split(';')[0];
  expect(id).toMatch(/^\d+$/);
  return id;
}

interface Card {
  node: string;
  gpus: string;
  devices: string;
}

/** The `card` line a job's container printed, once it has. */
async function cardOf(user: SlurmUser, jobId: string): Promise<Card | undefined> {
  const { stdout } = await onLogin(env, user, `cat ${outDir(user)}/${jobId}.out 2>/dev/null`);
  const m = /^card (\S+) (\S+) (.*)$/m.exec(stdout);
  return m ? { node: m[1], gpus: m[2], devices: m[3].trim() } : undefined;
}

async function containersOf(user: SlurmUser, jobId: string, all = true): Promise<string[]> {
  const out = await onLoginOk(env, user, `${env.runtime} ps ${all ? '-a ' : ''}-q --filter label=${env.jobLabel}=${jobId}`);
  return out.split('\n').filter(Boolean);
}

async function jobState(user: SlurmUser, jobId: string): Promise<string> {
  return (await onLoginOk(env, user, `squeue -h -j ${jobId} -o %T 2>/dev/null || true`)).trim();
}

describe('the test Slurm cluster, from its login node', () => {
  beforeAll(async () => {
    env = slurmEnv();
    const byName = (name: string) => {
      const user = env.users.find((u) => u.name === name);
      if (!user) throw new Error(`env.json's slurm.users has no ${name}`);
      return user;
    };
    alice = byName('btalice');
    bob = byName('btbob');
    for (const user of [alice, bob]) {
      const dir = `${user.sharedDir}/slurm-env-test-${process.pid}`;
      await onLoginOk(env, user, `mkdir -p ${dir}`);
      outDirs.set(user.name, dir);
    }
    // The tests count on free cards (two jobs on one node): jobs other test files left behind, still
    // running or COMPLETING while their Epilog removes a container, must be gone first.
    const jobsLeft = async () => (await onLoginOk(env, alice, 'squeue --noheader --states=PENDING,RUNNING,COMPLETING -o %i')).trim();
    if ((await pollFor(async () => ((await jobsLeft()) === '' ? true : undefined), 3 * WAIT_MS)) === undefined) {
      throw new Error(`the test cluster still runs other jobs after ${(3 * WAIT_MS) / 1000} s: ${(await jobsLeft()).split('\n').join(', ')}`);
    }
  }, 5 * WAIT_MS);

  afterAll(async () => {
    for (const user of [alice, bob].filter(Boolean)) {
      await onLogin(env, user, `scancel -n ${JOB_NAME}; rm -rf ${outDirs.get(user.name) ?? '/nonexistent'}`).catch((e: unknown) =>
        console.warn(`cleanup for ${user.name}: ${String(e)}`),
      );
    }
  });

  it('shows two nodes with 4 GPUs in the gpu partition, and the users quotas', async () => {
    const nodes = (await onLoginOk(env, alice, `sinfo -h -N -p ${env.partition} -o '%N %G %t'`)).trim().split('\n');
    const gpus = nodes.map((line) => Number(/gpu:(\d+)/.exec(line)?.[1] ?? 0));
    expect(nodes.map((line) => line.split(' ')[0]).sort()).toEqual(env.nodes.map((n) => n.name).sort());
    expect(gpus.reduce((a, b) => a + b, 0)).toBe(4);
    const assoc = await onLoginOk(env, alice, `sacctmgr -nP show assoc where user=${alice.name} format=account,qos`);
    expect(assoc.trim()).toBe(`${env.account}|${env.qos}`);
    const qos = await onLoginOk(env, alice, `sacctmgr -nP show qos ${env.qos} format=maxtrespu`);
    expect(qos.trim()).toBe(`gres/gpu=${env.maxGpusPerUser}`);
    const queue = JSON.parse(await onLoginOk(env, alice, 'squeue --json')) as { jobs: unknown[] };
    expect(Array.isArray(queue.jobs)).toBe(true);
  });

  it('runs a one-GPU job as a container of the test image on the node in its own namespace', { timeout: 120_000 }, async () => {
    const node = env.nodes.find((n) => n.namespace)?.name ?? env.nodes[1].name;
    const id = await submit(alice, gpuJob(alice, 0, node), true);
    const card = await cardOf(alice, id);
    expect(card?.node).toBe(node);
    expect(card?.gpus).toMatch(/^\d$/);
    expect(card?.devices).toBe(`/dev/nvidia${card?.gpus}`);
    expect((await onLoginOk(env, alice, `sacct -nPX -j ${id} -o state,alloctres`)).trim()).toMatch(/^COMPLETED\|.*gres\/gpu=1/);
  });

  it('gives two GPU jobs on one node different cards', { timeout: 180_000 }, async () => {
    const node = env.nodes[0].name;
    const ids = [await submit(alice, gpuJob(alice, 600, node)), await submit(alice, gpuJob(alice, 600, node))];
    try {
      const cards = await Promise.all(ids.map((id) => pollFor(() => cardOf(alice, id), WAIT_MS)));
      expect(cards.map((c) => c?.node)).toEqual([node, node]);
      expect(new Set(cards.map((c) => c?.gpus)).size).toBe(2);
      expect(await Promise.all(ids.map((id) => jobState(alice, id)))).toEqual(['RUNNING', 'RUNNING']);
    } finally {
      await onLoginOk(env, alice, `scancel ${ids.join(' ')}`);
    }
    const left = await pollFor(async () => {
      const found = (await Promise.all(ids.map((id) => containersOf(alice, id)))).flat();
      return found.length === 0 ? found : undefined;
    }, WAIT_MS);
    expect(left).toEqual([]);
  });

  it('answers slurmrestd with a JWT from scontrol token, and refuses a forged one', async (ctx) => {
    const restd = env.restd;
    if (!restd) return ctx.skip('env.json says slurmrestd did not start (restd: null); see its log under /var/lib/benchtop-test/slurm/log');
    const line = (await onLoginOk(env, alice, 'scontrol token lifespan=300')).trim();
    const token = /^SLURM_JWT=(\S+)$/.exec(line)?.[1];
    expect(token).toBeTruthy();
    const get = (userToken: string) =>
      fetch(`${restd.url}/slurm/${restd.apiVersion}/jobs`, {
        headers: { 'X-SLURM-USER-NAME': alice.name, 'X-SLURM-USER-TOKEN': userToken },
      });
    const answer = await get(token ?? '');
    expect(answer.status).toBe(200);
    expect(Array.isArray(((await answer.json()) as { jobs?: unknown }).jobs)).toBe(true);
    const forged = await get(`${token ?? ''}x`);
    expect(forged.status).not.toBe(200);
  });

  it('leaves no container behind after scancel (as the second user)', { timeout: 120_000 }, async () => {
    const id = await submit(bob, gpuJob(bob, 600));
    const card = await pollFor(() => cardOf(bob, id), WAIT_MS);
    expect(card?.gpus).toMatch(/^\d$/);
    expect(await containersOf(bob, id, false)).toHaveLength(1);
    await onLoginOk(env, bob, `scancel ${id}`);
    const left = await pollFor(async () => {
      const found = await containersOf(bob, id);
      return found.length === 0 ? found : undefined;
    }, WAIT_MS);
    expect(left).toEqual([]);
    expect(await jobState(bob, id)).not.toBe('RUNNING');
  });
});
