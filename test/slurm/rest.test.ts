// slurmrestd + JWT on the real test cluster (scripts/test-env/slurm.sh starts it on the login node's
// 127.0.0.1:6820): the queue read through it equals `squeue --json`'s for the same jobs, a forged or
// expired token is renewed, a cluster whose slurmrestd is not where the settings say falls back to the
// command-line tools with the reason in the log, and no token ever reaches the log file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlurmCluster } from '../../src/main/core/slurm/cluster';
import { SlurmRest } from '../../src/main/core/slurm/rest';
import { clusterFixture, slurmOrSkip, type ClusterFixture } from './support';

const { env, skip } = slurmOrSkip();
if (skip) console.warn(`skipping the Slurm REST tests: ${skip}`);
const restd = env?.restd;
if (env && !restd) console.warn('skipping the Slurm REST tests: the test cluster runs no slurmrestd (env.json slurm.restd is null)');

/** A JWT as `scontrol token` prints it (header.payload.signature, the header base64 of `{"`). */
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;
const logText = (fx: ClusterFixture) => readFileSync(join(fx.core.logDir, 'benchtop.log'), 'utf8');

describe.skipIf(!env || !restd)('the queue through slurmrestd on a real cluster', () => {
  let fx: ClusterFixture;
  let off: ClusterFixture;
  const held: string[] = [];

  beforeAll(async () => {
    fx = await clusterFixture(env!);
    off = await clusterFixture(env!, 'btalice', { restUrl: 'http://127.0.0.1:6999' });
    // Two held jobs: they stay PENDING (JobHeldUser), so both reads see the same state.
    for (let i = 0; i < 2; i += 1) {
      const out = await fx.login(`sbatch --parsable --hold --job-name=bt-rest-test --partition=${env!.partition} --time=5 --wrap 'sleep 60'`);
      expect(out.code, out.stderr).toBe(0);
      held.push(out.stdout.trim().split(';')[0]);
    }
  }, 180_000);

  afterAll(async () => {
    if (held.length) await fx?.login(`scancel ${held.join(' ')}`);
    await fx?.close();
    await off?.close();
  });

  it('lists the same jobs, field for field, as squeue --json, at the newest API version the server lists that Benchtop reads', async () => {
    const shell = fx.core.slurm.cluster(fx.target).shell;
    const rest = new SlurmRest(shell, fx.core.log.child('rest-test'), restd!.url);
    const viaRest = await rest.jobs();
    expect(viaRest, 'REST answered').toBeDefined();
    expect(rest.version).toBe(restd!.apiVersion);
    const viaCli = await new SlurmCluster(shell).jobs();
    const pick = (jobs: { id: string }[]) => jobs.filter((j) => held.includes(j.id)).sort((a, b) => a.id.localeCompare(b.id));
    expect(pick(viaRest!).map((j) => j.id)).toEqual([...held].sort());
    expect(pick(viaRest!)).toEqual(pick(viaCli));
    expect(await rest.ping()).toBe(true);
  });

  it('the service reads the queue through slurmrestd by default, and its token is never in the log file', async () => {
    const jobs = await fx.core.slurm.cluster(fx.target).jobs();
    expect(jobs.filter((j) => held.includes(j.id)).map((j) => j.state)).toEqual(['PENDING', 'PENDING']);
    const log = logText(fx);
    expect(log).toContain('slurmrestd answers; the queue is read through it');
    expect(log).not.toMatch(JWT);
  });

  it('a forged token is renewed, and so is one that expired before Benchtop thought it would', async () => {
    const shell = fx.core.slurm.cluster(fx.target).shell;
    const forged = `eyJhbGciOiJIUzI1NiJ9.${'Zm9yZ2Vk'.repeat(4)}.forgedsignature`;
    const rest = new SlurmRest(shell, fx.core.log.child('rest-test'), restd!.url);
    rest.setToken(forged, Date.now() + 600_000);
    const first = await rest.jobs();
    expect(first?.filter((j) => held.includes(j.id))).toHaveLength(2);

    // A real token of this user that has expired (a lifespan of seconds), believed to be valid.
    const out = await fx.login('scontrol token lifespan=2');
    const expired = /SLURM_JWT=(\S+)/.exec(out.stdout)?.[1];
    expect(expired, out.stderr).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    rest.setToken(expired, Date.now() + 600_000);
    const second = await rest.jobs();
    expect(second?.filter((j) => held.includes(j.id))).toHaveLength(2);

    const log = logText(fx);
    expect(log.match(/slurmrestd refused the token; renewing it/g)?.length).toBeGreaterThanOrEqual(2);
    expect(log).not.toContain(forged);
    expect(log).not.toContain(expired!);
    expect(log).not.toMatch(JWT);
  });

  it('a cluster whose slurmrestd is not at its restUrl is read with squeue over SSH, the reason logged, no error for the user', async () => {
    const jobs = await off.core.slurm.cluster(off.target).jobs();
    expect(jobs.filter((j) => held.includes(j.id)).map((j) => j.id).sort()).toEqual([...held].sort());
    const sessions = await off.core.slurm.list(off.target);
    expect(Array.isArray(sessions)).toBe(true);
    const log = logText(off);
    expect(log).toContain('slurmrestd did not answer; using the command-line tools over SSH');
    expect(log).toContain('http://127.0.0.1:6999');
    expect(log).not.toMatch(JWT);
  });
});
