import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import { EngineProxy } from './engine-proxy';
import { docker, eventually, KEEP_NOTEBOOK, makeCore, makeProject, opId, record, removeProjectContainers, type TestProject } from './support';

describe('when the engine goes away and comes back', () => {
  const proxy = new EngineProxy();
  let project: TestProject;
  let core: Core;

  beforeAll(async () => {
    await proxy.up();
    project = makeProject();
    core = makeCore({ engine: proxy.engine() });
  });

  afterAll(async () => {
    await removeProjectContainers(project);
    await core.close();
    await proxy.down();
  });

  it('marks sessions ENGINE_UNREACHABLE, then catches up on what happened meanwhile', async () => {
    const states = record(core, 'sessionState');
    const info = await core.sessions.up(core.ops.create(opId()), project.dir, 'local');
    expect(info.state).toBe('ready');

    await proxy.down();
    const lost = await eventually(() => states.find((s) => s.id === info.id && s.code === 'ENGINE_UNREACHABLE'));
    expect(lost).toMatchObject({ state: 'failed', url: undefined });
    expect(lost.message).toMatch(/stopped answering/);

    // While Benchtop cannot see it, the session dies.
    await docker.getContainer(info.id).kill();
    await proxy.up();

    // Reconnected with `since`, the missed death arrives (and the reconcile agrees).
    const dead = await eventually(() => states.find((s) => s.id === info.id && s.code === 'CONTAINER_EXITED'));
    expect(dead).toMatchObject({ state: 'failed' });
    expect((await core.sessions.get(info.id)).state).toBe('failed');
    expect(readFileSync(join(project.notebooks, 'keep.ipynb'), 'utf8')).toBe(KEEP_NOTEBOOK);
  });
});
