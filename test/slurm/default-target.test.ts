// A cluster as the default target, and the cluster card's calls: the app's Start and `benchtop up`
// with no target submit a job when the effective default target is a Slurm cluster; Sync now on a
// cluster session syncs with the cluster folder (a bulk deletion waits for a yes) and Recently
// removed lists and restores what the sync removed there. Real cluster, real login node.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { startRoute } from '../../src/main/core/slurm/start-route';
import { runCli } from '../support/cli';
import { clusterFixture, slurmOrSkip, type ClusterFixture } from './support';

const { env, skip } = slurmOrSkip();
const root = new URL('../..', import.meta.url).pathname;

describe.skipIf(!env)('a Slurm cluster as the default target', () => {
  let fx: ClusterFixture;
  let api: ReturnType<typeof createHandlers>;
  beforeAll(async () => {
    fx = await clusterFixture(env!);
    api = createHandlers(fx.core);
  }, 120_000);
  afterAll(async () => {
    await fx?.close();
  }, 120_000);

  const route = (dir: string, asked?: string) =>
    startRoute({ isCluster: (t) => fx.core.slurm.isCluster(t), defaultTarget: (d) => fx.core.team.defaultTarget(d) }, dir, asked);

  it('routes Start to the cluster only when the effective default target is one', async () => {
    const p = await fx.project();
    fx.core.settings.set('defaultTarget', 'local');
    expect(await api.clusterDefaultTarget({ dir: p.dir })).toBeNull();
    expect(await route(p.dir)).toEqual({ kind: 'session', target: undefined });

    fx.core.settings.set('defaultTarget', fx.target);
    expect(await api.clusterDefaultTarget({ dir: p.dir })).toBe(fx.target);
    expect(await route(p.dir)).toEqual({ kind: 'cluster', target: fx.target });
    // A target the caller names is never second-guessed.
    expect(await route(p.dir, 'local')).toEqual({ kind: 'session', target: 'local' });
    fx.core.settings.set('defaultTarget', 'local');
  });

  it('benchtop up with no --target submits a job to the cluster when it is the default target', async () => {
    const p = await fx.project();
    fx.core.settings.set('defaultTarget', fx.target);
    try {
      const up = await runCli('source', ['up', p.dir, '--no-wait', '--json'], { env: { ...fx.coreEnv, BENCHTOP_HOME: join(fx.dir, 'settings') }, cwd: root });
      expect(up.code, up.stderr).toBe(0);
      const info = JSON.parse(up.stdout) as { id: string; target: string; jobId: string; projectName: string };
      expect(info).toMatchObject({ target: fx.target, projectName: p.name });
      const queued = await fx.login(`squeue --noheader --jobs=${info.jobId} --format=%j`);
      expect(queued.stdout.trim()).toBe(`benchtop-${p.name}`);
    } finally {
      fx.core.settings.set('defaultTarget', 'local');
    }
  }, 180_000);

  it('Sync now carries notebooks to the cluster folder, asks before a bulk deletion, and Recently removed restores', async () => {
    const p = await fx.project();
    const names = Array.from({ length: 7 }, (_, i) => `n${i}.ipynb`);
    mkdirSync(join(p.dir, 'notebooks'), { recursive: true });
    for (const n of names) writeFileSync(join(join(p.dir, 'notebooks'), n), `{"cells": [], "n": "${n}"}`);
    const first = await api.clusterSessionSync({ opId: `t-sync-${Date.now()}`, dir: p.dir, target: fx.target });
    expect(first.uploaded).toBeGreaterThanOrEqual(names.length);
    const there = await fx.login(`ls '${fx.user.sharedDir}/${p.name}/notebooks'`);
    for (const n of names) expect(there.stdout).toContain(n);

    for (const n of names) rmSync(join(join(p.dir, 'notebooks'), n));
    await expect(api.clusterSessionSync({ opId: `t-sync-${Date.now()}`, dir: p.dir, target: fx.target })).rejects.toMatchObject({ code: 'SYNC_MASS_DELETE' });
    const kept = await fx.login(`ls '${fx.user.sharedDir}/${p.name}/notebooks'`);
    for (const n of names) expect(kept.stdout).toContain(n);

    const yes = await api.clusterSessionSync({ opId: `t-sync-${Date.now()}`, dir: p.dir, target: fx.target, confirmDeletes: true });
    expect(yes.deleted).toBe(names.length);

    const trash = await api.syncTrashList({ projectDir: p.dir, target: fx.target });
    const removed = trash.find((e) => e.where === fx.target && e.path.endsWith('n3.ipynb'));
    expect(removed, JSON.stringify(trash)).toBeDefined();
    await api.syncTrashRestore({ projectDir: p.dir, entry: removed! });
    expect(existsSync(join(join(p.dir, 'notebooks'), 'n3.ipynb'))).toBe(true);
    expect(readFileSync(join(join(p.dir, 'notebooks'), 'n3.ipynb'), 'utf8')).toContain('"n3.ipynb"');
  }, 180_000);

  it('refuses a sync for a target that is not a cluster with a coded error', async () => {
    const p = await fx.project();
    await expect(api.clusterSessionSync({ opId: `t-sync-${Date.now()}`, dir: p.dir, target: 'local' })).rejects.toMatchObject({ code: 'HOST_INVALID' });
  });
});

if (skip) console.warn(`skipped: ${skip}`);
