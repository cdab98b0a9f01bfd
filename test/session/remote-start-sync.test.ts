import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebooksVolumeName } from '../../src/main/core/sync/volume';
import { followOperation } from '../../src/shared/follow-operation';
import type { SyncProgress } from '../../src/shared/contract/hosts';
import type { EventMap } from '../../src/shared/ipc';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { makeProject, type FixtureProject } from '../support/fixture-project';
import { withoutFixedPort } from '../sync/support';

const ready = existsSync(new URL('../../.test-env/ssh-host.json', import.meta.url)) && existsSync(new URL('../../.test-env/env.json', import.meta.url));

describe.skipIf(!ready)('the sync before a start on a host is a visible, cancellable child step of the start', () => {
  let fx: HostsFixture;
  let target = '';
  const projects: FixtureProject[] = [];
  const sessions: string[] = [];

  const follow = (opId: string) => {
    const steps: string[] = [];
    const progress: SyncProgress[] = [];
    const on = <E extends keyof EventMap>(event: E, listener: (p: EventMap[E]) => void) => fx.core.bus.on(event, listener);
    const off = followOperation(on, opId, {
      operationStep: (s) => steps.push(s.opId === opId ? s.step : `${s.opId}|${s.step}`),
      syncProgress: (p) => progress.push(p),
    });
    return { steps, progress, off };
  };

  const project = async () => {
    const p = await makeProject();
    projects.push(p);
    await withoutFixedPort(p.devcontainerPath);
    const info = await fx.core.projects.read(p.dir);
    await writeFile(join(info.notebooksDir, 'from-laptop.ipynb'), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    return info;
  };

  beforeAll(async () => {
    ({ fx, target } = await sshHostFixture());
  });

  afterAll(async () => {
    const docker = await fx.core.engines.docker(target);
    for (const id of sessions) await fx.core.sessions.remove(id).catch(() => undefined); // already gone is fine
    await fx.core.sync.idle();
    for (const p of projects) {
      const info = await fx.core.projects.read(p.dir);
      await docker.getVolume(notebooksVolumeName(info.dir, info.name)).remove().catch(() => undefined); // never made is fine
      await p.cleanup();
    }
    await fx.close();
  });

  it('shows the sync as the start\'s step, its progress under <start id>:sync, and Jupyter opens on the synced notebooks', async () => {
    const info = await project();
    const opId = `bt-test-up-${randomUUID()}`;
    const seen = follow(opId);
    const session = await fx.core.ops.run(opId, (op) => fx.core.sessions.up(op, info.dir, target));
    seen.off();
    sessions.push(session.id);
    expect(session.state).toBe('ready');
    const steps = seen.steps.filter((s) => !s.includes('|'));
    expect(steps).toContain('sync');
    expect(steps.indexOf('sync')).toBeGreaterThan(steps.indexOf('start'));
    expect(steps.indexOf('sync')).toBeLessThan(steps.indexOf('wait-jupyter'));
    expect(seen.progress.length).toBeGreaterThan(0);
    expect(new Set(seen.progress.map((p) => p.opId))).toEqual(new Set([`${opId}:sync`]));
    expect(seen.progress.some((p) => p.phase === 'uploading')).toBe(true);
    const url = new URL(session.url as string);
    const listed = await fetch(new URL(`api/contents?token=${url.searchParams.get('token')}`, url.origin + url.pathname));
    expect(((await listed.json()) as { content: { name: string }[] }).content.map((c) => c.name)).toContain('from-laptop.ipynb');
  });

  it('cancelling the start while it syncs cancels the sync too, and leaves no session behind', async () => {
    const info = await project();
    const opId = `bt-test-up-${randomUUID()}`;
    const seen = follow(opId);
    const off = fx.core.bus.on('operationStep', (s) => {
      if (s.opId === opId && s.step === 'sync') fx.core.ops.cancel(opId);
    });
    const starting = fx.core.ops.run(opId, (op) => fx.core.sessions.up(op, info.dir, target));
    await expect(starting).rejects.toMatchObject({ code: 'CANCELLED' });
    off();
    seen.off();
    expect(seen.steps).toContain('sync');
    expect(seen.steps).not.toContain('wait-jupyter');
    // The child was registered under its own id while it ran, and is gone with its parent.
    expect(fx.core.ops.cancel(`${opId}:sync`)).toBe(false);
    const docker = await fx.core.engines.docker(target);
    const left = await docker.listContainers({ all: true, filters: { label: [`dev.benchtop.project=${info.dir}`] } });
    expect(left.filter((c) => !(c.Labels['dev.benchtop.role'] === 'sync-helper'))).toEqual([]);
  });
});
