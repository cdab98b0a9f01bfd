// move local → cluster → local on the real test cluster and the real local engine (issue 15): the
// notebooks arrive byte for byte, and what was saved on the cluster comes home.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/shared/contract/sessions';
import { clusterOrSkip, folderFixture, type FolderFixture } from './support';

const { env, skip } = clusterOrSkip();
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(!!skip)('move local → cluster → local', () => {
  let f: FolderFixture;
  const started: string[] = [];
  beforeAll(async () => {
    f = await folderFixture(env!);
  }, 120_000);
  afterAll(async () => {
    for (const id of started) await f.core.sessions.stop(id).catch(() => undefined);
    await f?.close();
  }, 120_000);

  it('carries the notebooks there and back, byte for byte', async () => {
    const p = await f.project();
    const notebooks = join(p.dir, 'notebooks');
    const blob = randomBytes(300_000);
    writeFileSync(join(notebooks, 'data.bin'), blob);
    writeFileSync(join(notebooks, 'notes.md'), '# notes\n');
    const local = await f.core.ops.run('t-up', (op) => f.core.sessions.up(op, p.dir, 'local'));
    started.push(local.id);

    const steps: string[] = [];
    f.core.bus.on('operationStep', (s) => steps.push(s.step));
    const there = await f.core.ops.run('t-move-1', (op) => f.core.clusterMoves.move(op, local.id, f.target));
    expect(there.target).toBe(f.target);
    expect(there.state).toBe('ready');
    expect((await f.core.sessions.get(local.id).catch(() => undefined))?.state ?? 'stopped').not.toBe('ready');
    expect(steps).toEqual(expect.arrayContaining(['sync-to-destination', 'stop-source', 'final-sync', 'start-destination']));
    expect((await f.login(`sha256sum '${p.folder}/data.bin' | cut -c1-64`)).stdout.trim()).toBe(sha(blob));

    // Saved on the cluster while the job runs (by the job's own Jupyter, as the user, and by a shell), then moved home.
    const url = new URL(there.url ?? '');
    const saved = await fetch(`${url.origin}/api/contents/from-jupyter.py?token=${url.searchParams.get('token')}`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'file', format: 'text', content: 'saved by Jupyter in the job\n' }),
    });
    expect(saved.status).toBe(201);
    await f.login(`printf 'written on the cluster\\n' >> '${p.folder}/notes.md'`);
    const home = await f.core.ops.run('t-move-2', (op) => f.core.clusterMoves.move(op, there.id, 'local', p.dir)) as SessionInfo;
    started.push(home.id);
    expect(home.target).toBe('local');
    expect(readFileSync(join(notebooks, 'notes.md'), 'utf8')).toBe('# notes\nwritten on the cluster\n');
    expect(sha(readFileSync(join(notebooks, 'data.bin')))).toBe(sha(blob));
    expect(readFileSync(join(notebooks, 'from-jupyter.py'), 'utf8')).toBe('saved by Jupyter in the job\n');
    const job = await f.core.slurm.get(there.id).catch(() => undefined);
    expect(job === undefined || job.state === 'ended' || job.jobState === 'CANCELLED' || job.jobState === 'COMPLETING').toBe(true);
  }, 300_000);
});
