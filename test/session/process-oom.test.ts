import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { execIn } from '../../src/main/core/sync/container-exec';
import { docker, eventually, makeCore, makeProject, opId, record, removeProjectContainers } from './support';

describe('a process killed for memory inside a running session', () => {
  const project = makeProject({ benchtop: { limits: { memory: '256mb' } } });
  const core = makeCore();

  afterAll(async () => {
    await removeProjectContainers(project);
    await core.close();
    rmSync(project.dir, { recursive: true, force: true });
  });

  it('shows on the session, which stays ready, with the limit it ran into', async () => {
    const states = record(core, 'sessionState');
    const info = await core.sessions.up(core.ops.create(opId()), project.dir, 'local');
    expect(info.state).toBe('ready');

    // What a greedy notebook cell does: allocate (and touch) far more than the session may use.
    const hog = await execIn(docker.getContainer(info.id), ['python3', '-c', 'b = bytearray(1024 * 1024 * 1024); print(len(b))']);
    expect(hog.exitCode).toBe(137);

    const told = await eventually(() => states.find((s) => s.id === info.id && /ran out of memory/.test(s.message ?? '')));
    expect(told).toMatchObject({ state: 'ready', url: info.url });
    expect(told.message).toMatch(/^A process in this session ran out of memory \(limit 256 MiB\) and was killed; .*restarted by Jupyter/);
    expect(told.code).toBeUndefined();
    expect((await docker.getContainer(info.id).inspect()).State.Running).toBe(true);
    // The list (what the Sessions screen loads) says the same.
    expect((await core.sessions.list()).find((s) => s.id === info.id)).toMatchObject({ state: 'ready', message: told.message });
  }, 180_000);
});
