import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterFixture, slurmOrSkip, type ClusterFixture } from './support';

/**
 * The team file's Slurm defaults (partition, account, QOS) apply to a cluster added without its own,
 * and the project's customizations.benchtop.slurm beat them: read through the cluster check, which
 * asks the real cluster's sinfo about the partition that would be used.
 */
const { env, skip } = slurmOrSkip();

describe.skipIf(!env)('the team file chooses the Slurm partition where nobody else did', () => {
  let fx: ClusterFixture;
  beforeAll(async () => {
    fx = await clusterFixture(env!, 'btalice', { partition: undefined });
  });
  afterAll(async () => {
    await fx?.close();
  });

  const withTeam = async (slurm: object, project?: object) => {
    const p = await fx.project();
    mkdirSync(join(p.dir, '.benchtop'), { recursive: true });
    writeFileSync(join(p.dir, '.benchtop', 'team.json'), JSON.stringify({ name: 'Data team', slurm }));
    if (project) {
      // devcontainer.json is JSONC (the fixture has comments): edited as the user's editor would.
      const text = readFileSync(p.devcontainerPath, 'utf8');
      writeFileSync(p.devcontainerPath, applyEdits(text, modify(text, ['customizations', 'benchtop', 'slurm'], project, {})));
    }
    return (await fx.core.slurm.checkProject(fx.target, p.dir)).find((i) => i.name === 'Partition');
  };

  it('uses the team file\'s partition: one the cluster lacks fails the check naming it', async () => {
    expect(await withTeam({ partition: 'nosuch' })).toMatchObject({ state: 'fail', detail: expect.stringContaining('"nosuch" is not one of') });
    expect(await withTeam({ partition: env!.partition })).toMatchObject({ state: 'pass', detail: expect.stringMatching(new RegExp(`^${env!.partition}: up`)) });
  });

  it('lets the project\'s own partition beat the team file\'s', async () => {
    expect(await withTeam({ partition: env!.partition }, { partition: 'project-only' })).toMatchObject({ state: 'fail', detail: expect.stringContaining('"project-only"') });
  });
});

if (skip) console.warn(`skipped: ${skip}`);
