// Slurm's own scheduling as Benchtop shows it, on the real test cluster: distinct cards per session,
// a session over the user's GPU quota waits with its reason in words and starts when a card frees,
// --time ends a session with its notebooks kept, and the idle rule inside the job ends it with no
// Benchtop process left to do so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterFixture, eventually, slurmOrSkip, type ClusterFixture } from './support';

const { env, skip } = slurmOrSkip();
if (skip) console.warn(`skipping the Slurm scheduling tests: ${skip}`);

describe.skipIf(!env)('Slurm scheduling, shown', () => {
  let fx: ClusterFixture;
  beforeAll(async () => {
    fx = await clusterFixture(env!);
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
  }, 120_000);

  it('two GPU sessions get disjoint cards; a third waits over the GPU quota and starts when one ends', async () => {
    const [a, b, c] = [await fx.project(), await fx.project(), await fx.project()];
    const first = await fx.core.slurm.up({ dir: a.dir, target: fx.target, gpus: 1, timeMinutes: 20 });
    const second = await fx.core.slurm.up({ dir: b.dir, target: fx.target, gpus: 1, timeMinutes: 20 });
    expect(first.cards).toHaveLength(1);
    expect(second.cards).toHaveLength(1);
    expect(first.cards[0]).not.toBe(second.cards[0]);
    // Inside, each container has its own card as a device, and the job's GPU ids in its environment.
    for (const s of [first, second]) {
      const inside = await fx.login(`podman exec benchtop-job-${s.jobId} sh -c 'echo $BENCHTOP_GPUS; ls /dev | grep ^nvidia'`);
      expect(inside.stdout).toBe(`${s.gpus[0]}\nnvidia${s.gpus[0]}\n`);
    }

    // The user now holds the QOS's 2 GPUs: the third is queued by Slurm, and says why in words.
    const third = await fx.core.slurm.up({ dir: c.dir, target: fx.target, gpus: 1, timeMinutes: 20, noWait: true });
    const waiting = await eventually('the third job to be held with a reason', async () => {
      const s = await fx.core.slurm.get(third.id);
      return s.state === 'pending' && s.reasonCode !== 'None' ? s : undefined;
    });
    expect(waiting).toMatchObject({ state: 'pending', position: 1 });
    expect(['over your GPU quota (QOS)', 'waiting for GPUs']).toContain(waiting.reason);
    const listed = (await fx.core.slurm.list(fx.target)).find((s) => s.id === third.id);
    expect(listed?.message).toMatch(/^(over your GPU quota \(QOS\)|waiting for GPUs) \(\w+\), #1 in line$/);

    // The board shows every GPU job of the cluster, these three marked as mine.
    const board = await fx.core.slurm.gpuJobs(fx.target);
    expect(board.filter((j) => [first.jobId, second.jobId, third.jobId].includes(j.jobId)).map((j) => j.mine)).toEqual([true, true, true]);

    await fx.core.slurm.stop(first.id);
    const started = await fx.core.slurm.up({ dir: c.dir, target: fx.target, gpus: 1 });
    expect(started).toMatchObject({ jobId: third.jobId, state: 'ready' });
    expect(started.cards[0]).not.toBe(second.cards[0]);
    await fx.core.slurm.stop(second.id);
    await fx.core.slurm.stop(started.id);
  }, 400_000);

  it('--time ends the session (Slurm TIMEOUT) and the notebooks stay in the shared folder', async () => {
    const project = await fx.project();
    const info = await fx.core.slurm.up({ dir: project.dir, target: fx.target, gpus: 0, timeMinutes: 1 });
    expect(info.endsAt).toBeTruthy();
    const token = new URL(info.url!).searchParams.get('token')!;
    const put = await fetch(`http://127.0.0.1:${info.hostPort}/api/contents/analysis.ipynb`, {
      method: 'PUT', headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'notebook', format: 'json', content: { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 } }),
    });
    expect(put.status).toBeLessThan(300);
    const ended = await eventually('the time limit to end the job', async () => {
      const s = await fx.core.slurm.get(info.id);
      return s.jobState === 'RUNNING' || s.jobState === 'COMPLETING' ? undefined : s;
    }, 240_000, 2000);
    expect(ended).toMatchObject({ jobState: 'TIMEOUT', state: 'ended', message: 'ended: its --time ran out' });
    expect((await fx.login(`test -s '${info.notebooksDir}/analysis.ipynb' && echo kept`)).stdout.trim()).toBe('kept');
    expect((await fx.login(`podman ps -a --filter label=dev.benchtop.slurm.job=${info.jobId} --format '{{.Names}}'`)).stdout.trim()).toBe('');
  }, 400_000);

  /** The job's state as plain Slurm tools say it (squeue while queued or running, then sacct). */
  async function jobState(jobId: string): Promise<string | undefined> {
    const out = await fx.login(`squeue --noheader --jobs=${jobId} --format=%T 2>/dev/null; sacct --noheader --parsable2 --jobs=${jobId} --format=JobID,State`);
    return out.stdout.split('\n').find((l) => l.startsWith(`${jobId}|`))?.split('|')[1];
  }
  const ended = (jobId: string) => eventually('the job to end itself', async () => {
    const state = await jobState(jobId);
    return state && state !== 'RUNNING' && state !== 'PENDING' ? state : undefined;
  }, 240_000, 2000);

  it('a session computing where Jupyter cannot see it (a script started from a terminal) keeps its job, and ends once idle', async () => {
    const project = await fx.project();
    const info = await fx.core.slurm.up({ dir: project.dir, target: fx.target, gpus: 1, timeMinutes: 30, idleMinutes: 0.25, idlePollSeconds: 2 });
    expect(info.state).toBe('ready');
    // No kernel, no terminal: by Jupyter's account idle from the start. A script burns a core for 40 s.
    const burn = await fx.login(`podman exec -d benchtop-job-${info.jobId} timeout 40 sh -c 'while :; do :; done'`);
    expect(burn.code).toBe(0);
    const started = Date.now();
    // Twice the 15 s rule later, the job still runs.
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    expect(await jobState(info.jobId)).toBe('RUNNING');
    // Once the script ends, the session is idle and the job ends itself.
    expect(await ended(info.jobId)).toBe('COMPLETED');
    expect(Date.now()).toBeGreaterThan(started + 40_000);
  }, 400_000);

  it('an idle session ends its own job with no Benchtop process running', async () => {
    const project = await fx.project();
    const info = await fx.core.slurm.up({ dir: project.dir, target: fx.target, gpus: 1, timeMinutes: 30, idleMinutes: 0.25, idlePollSeconds: 2 });
    expect(info.state).toBe('ready');
    // Benchtop lets go: no connection, no forward, nothing polling. Only plain ssh looks from here on.
    await fx.core.close();
    expect(await ended(info.jobId)).toBe('COMPLETED');
    // The job's folder (its working directory) says why it ended, in the job's own words.
    const stateDir = (await fx.login(`sacct --noheader --parsable2 --jobs=${info.jobId} --format=WorkDir | head -n1`)).stdout.trim();
    expect(stateDir).toContain('/.benchtop/jobs/');
    expect((await fx.login(`cat '${stateDir}/ended'; grep -h 'idle for' '${stateDir}/job.log'`)).stdout).toMatch(/^idle\n.*idle for \d+s \(rule: 15s\): ending the job\n$/);
    expect((await fx.login(`podman ps -a --filter label=dev.benchtop.slurm.job=${info.jobId} --format '{{.Names}}'`)).stdout.trim()).toBe('');
  }, 400_000);
});
