import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import { notebooksVolumeName } from '../../src/main/core/sync/volume';
import type { SessionInfo } from '../../src/shared/contract/sessions';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { makeProject, type FixtureProject } from '../support/fixture-project';
import { withoutFixedPort } from './support';

const ready = existsSync(new URL('../../.test-env/ssh-host.json', import.meta.url)) && existsSync(new URL('../../.test-env/env.json', import.meta.url));

/** Polls until `check` holds (the watcher syncs every few seconds); fails with the last value. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > until) throw new Error(`still not there after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    value = await read();
  }
  return value;
}

function contents(session: SessionInfo, path: string, init?: RequestInit): Promise<Response> {
  const url = new URL(session.url as string);
  return fetch(new URL(`/api/contents/${encodeURIComponent(path)}`, url), {
    ...init, headers: { Authorization: `token ${url.searchParams.get('token')}`, 'Content-Type': 'application/json' },
  });
}

const saveFile = (session: SessionInfo, path: string, text: string) =>
  contents(session, path, { method: 'PUT', body: JSON.stringify({ type: 'file', format: 'text', content: text }) });
const readThere = async (session: SessionInfo, path: string) => {
  const r = await contents(session, path);
  return r.ok ? ((await r.json()) as { content: string }).content : `(${r.status})`;
};
const readHere = (path: string) => readFile(path, 'utf8').catch(() => '(missing)');

describe.skipIf(!ready)('notebooks of a session on an SSH host stay in step while it runs', () => {
  let fx: HostsFixture;
  let project: FixtureProject;
  let target = '';
  let session: SessionInfo | undefined;

  beforeAll(async () => {
    ({ fx, target } = await sshHostFixture());
    // As the app does: background work (engine events, the sync watcher) runs in long-lived shells.
    fx.core.start();
    project = await makeProject();
    await withoutFixedPort(project.devcontainerPath);
  });

  afterAll(async () => {
    if (session) await fx.core.sessions.remove(session.id).catch(() => undefined);
    const info = await fx.core.projects.read(project.dir);
    await (await fx.core.engines.docker(target)).getVolume(notebooksVolumeName(info.dir, info.name)).remove().catch(() => undefined);
    await fx.close();
    await project.cleanup();
  });

  it('syncs on start, every few seconds both ways while it runs, and once more after it stops', async () => {
    const notes = join(project.dir, 'notebooks');
    await writeFile(join(notes, 'from laptop.txt'), 'written before start');
    session = await fx.core.sessions.up(fx.core.ops.create('bt-test-up'), project.dir, target);
    expect(session.state).toBe('ready');
    // On start: Jupyter on the host opens on the laptop's files.
    expect(await readThere(session, 'from laptop.txt')).toBe('written before start');
    expect(fx.core.syncWatcher.watching).toContain(session.id);

    const s = session;
    expect((await saveFile(s, 'from host.txt', 'saved in Jupyter')).ok).toBe(true);
    expect(await eventually(() => readHere(join(notes, 'from host.txt')), (v) => v === 'saved in Jupyter')).toBe('saved in Jupyter');
    await writeFile(join(notes, 'from laptop.txt'), 'edited on the laptop');
    expect(await eventually(() => readThere(s, 'from laptop.txt'), (v) => v === 'edited on the laptop')).toBe('edited on the laptop');
    // "Sync now" from the UI: the same service through the IPC handler, answered as an envelope.
    expect(await dispatch(createHandlers(fx.core), 'sessionSync', { opId: 'bt-test-sync-now', sessionId: s.id }))
      .toEqual({ result: expect.objectContaining({ uploaded: 0, downloaded: 0, deleted: 0, conflicts: [] }) });

    // The last save right before stopping still comes home (through a helper, the session is gone).
    expect((await saveFile(s, 'from host.txt', 'last save before stop')).ok).toBe(true);
    await fx.core.sessions.stop(s.id);
    expect(await eventually(() => readHere(join(notes, 'from host.txt')), (v) => v === 'last save before stop')).toBe('last save before stop');
    expect(fx.core.syncWatcher.watching).not.toContain(s.id);
  }, 240_000);
});
