// A cluster session's notebooks through its life (issue 15): synced up before the job is submitted,
// kept in step while it is queued or runs, and brought home once more after it ends.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterOrSkip, folderFixture, type FolderFixture } from './support';

const { env, skip } = clusterOrSkip();

async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, capMs = 90_000): Promise<T> {
  const deadline = Date.now() + capMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(!!skip)('a cluster session keeps its notebooks in step', () => {
  let f: FolderFixture;
  beforeAll(async () => {
    f = await folderFixture(env!);
  }, 120_000);
  afterAll(async () => f?.close(), 60_000);

  it('up syncs before submitting, the watcher syncs while the job lives and once after it ends', async () => {
    const p = await f.project();
    const notebooks = join(p.dir, 'notebooks');
    writeFileSync(join(notebooks, 'before.py'), 'written before up\n');
    const steps: string[] = [];
    const session = await f.core.slurm.up({ dir: p.dir, target: f.target, noWait: true, onStep: (s) => steps.push(s) });
    expect(steps.some((s) => s.startsWith('syncing the notebooks'))).toBe(true);
    // Already in the folder the job mounts when sbatch ran.
    expect((await f.login(`cat '${p.folder}/before.py'`)).stdout).toBe('written before up\n');
    expect(f.core.clusterSync.watching).toContain(session.id);

    await f.login(`printf 'saved in the job\\n' > '${p.folder}/during.py'`);
    await eventually('during.py to come home', () => (existsSync(join(notebooks, 'during.py')) ? true : undefined));
    expect(readFileSync(join(notebooks, 'during.py'), 'utf8')).toBe('saved in the job\n');

    await f.login(`printf 'last save\\n' > '${p.folder}/last.py'`);
    await f.core.slurm.stop(session.id);
    await eventually('the watch to end after the job', () => (f.core.clusterSync.watching.includes(session.id) ? undefined : true));
    expect(readFileSync(join(notebooks, 'last.py'), 'utf8')).toBe('last save\n');
  }, 180_000);

  it('a session that outlived the app is watched again when the app starts (its project among the recent ones)', async () => {
    const p = await f.project();
    await f.core.projects.open(p.dir);
    const session = await f.core.slurm.up({ dir: p.dir, target: f.target, noWait: true });
    // The first app's watcher is gone (as when it quit); the app again, on the same settings, finds
    // the job in the queue and the project among the recent ones.
    f.core.clusterSync.close();
    const again = await folderFixture(env!, 'btalice', f.home);
    try {
      again.core.start();
      await eventually('the session to be watched', () => (again.core.clusterSync.watching.includes(session.id) ? true : undefined));
      await f.login(`printf 'after the restart\\n' > '${p.folder}/later.py'`);
      await eventually('later.py to come home', () => (existsSync(join(p.dir, 'notebooks', 'later.py')) ? true : undefined));
    } finally {
      await f.core.slurm.stop(session.id);
      await again.core.close();
    }
  }, 180_000);
});
