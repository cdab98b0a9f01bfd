import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebooksVolumeName } from '../../src/main/core/sync/volume';
import { syncErrorText } from '../../src/renderer/src/lib/format';
import type { SessionInfo } from '../../src/shared/contract/sessions';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { makeProject, type FixtureProject } from '../support/fixture-project';
import { withoutFixedPort } from './support';
import { escapeRegExp } from '../support/regexp';

const ready = existsSync(new URL('../../.test-env/ssh-host.json', import.meta.url)) && existsSync(new URL('../../.test-env/env.json', import.meta.url));

/** Waits for something the watcher will tell (it syncs every few seconds); fails with what it has seen. */
async function eventually<T>(find: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = find();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`no ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(!ready)('a remote session whose notebooks stop syncing says so, and stops saying so once they sync again', () => {
  let fx: HostsFixture;
  let project: FixtureProject;
  let target = '';
  let session: SessionInfo | undefined;
  const states: SessionInfo[] = [];

  beforeAll(async () => {
    ({ fx, target } = await sshHostFixture());
    fx.core.start();
    fx.core.bus.on('sessionState', (e) => states.push(e));
    project = await makeProject();
    await withoutFixedPort(project.devcontainerPath);
  });

  afterAll(async () => {
    const docker = await fx.core.engines.docker(target);
    if (session) await docker.getContainer(session.id).unpause().catch(() => undefined);
    if (session) await fx.core.sessions.remove(session.id).catch(() => undefined);
    const info = await fx.core.projects.read(project.dir);
    await fx.core.sync.idle();
    await docker.getVolume(notebooksVolumeName(info.dir, info.name)).remove().catch(() => undefined);
    await fx.close();
    await project.cleanup();
  });

  it('shows the failing sync (since when, code, message, retry interval) on the ready session, then clears it', async () => {
    session = await fx.core.sessions.up(fx.core.ops.create('bt-test-up'), project.dir, target);
    const s = session;
    expect(s.state).toBe('ready');
    expect(s.syncError).toBeUndefined();

    // The host's engine refuses to run anything in a paused container: every periodic sync fails for real.
    const container = (await fx.core.engines.docker(target)).getContainer(s.id);
    await container.pause();
    const before = Date.now();
    const failing = await eventually(() => states.find((e) => e.id === s.id && e.syncError), 'sync error on the session');
    expect(failing.state).toBe('ready');
    expect(failing.syncError).toMatchObject({ code: 'SYNC_FAILED', retryEveryMs: 5000, message: expect.stringMatching(new RegExp(`^The sync with ${escapeRegExp(target)} stopped: .*paused`)) });
    expect(Date.parse(failing.syncError?.since ?? '')).toBeGreaterThanOrEqual(before - 1000);
    // What the Sessions card shows, and what a freshly loaded list says.
    expect(syncErrorText(failing.target, failing.syncError as NonNullable<SessionInfo['syncError']>))
      .toMatch(new RegExp(`^Sync with .+ failing since \\d\\d:\\d\\d: SYNC_FAILED The sync with .+paused.* — retrying every 5 s$`));
    expect((await fx.core.sessions.list()).find((e) => e.id === s.id)).toMatchObject({ state: 'ready', syncError: { code: 'SYNC_FAILED', since: failing.syncError?.since } });

    // A further failure keeps the first failure's time.
    const seen = states.length;
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect((await fx.core.sessions.list()).find((e) => e.id === s.id)?.syncError?.since).toBe(failing.syncError?.since);

    // Back to normal: the next sync succeeds, the error goes, and what was saved meanwhile arrives.
    await writeFile(join(project.dir, 'notebooks', 'while failing.txt'), 'saved while the sync failed');
    await container.unpause();
    const cleared = await eventually(() => states.slice(seen).find((e) => e.id === s.id && !e.syncError), 'state without sync error');
    expect(cleared.state).toBe('ready');
    expect((await fx.core.sessions.list()).find((e) => e.id === s.id)?.syncError).toBeUndefined();
    const url = new URL(s.url as string);
    const there = await fetch(new URL(`/api/contents/${encodeURIComponent('while failing.txt')}`, url), { headers: { Authorization: `token ${url.searchParams.get('token')}` } });
    expect(((await there.json()) as { content: string }).content).toBe('saved while the sync failed');
  }, 240_000);

  it('retries the last sync after the session stopped until it gets through, showing why meanwhile', async () => {
    const s = session as SessionInfo;
    const url = new URL(s.url as string);
    const saved = await fetch(new URL(`/api/contents/${encodeURIComponent('last save.txt')}`, url), {
      method: 'PUT', headers: { Authorization: `token ${url.searchParams.get('token')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'file', format: 'text', content: 'saved right before stop' }),
    });
    expect(saved.ok).toBe(true);
    // The notebooks folder on this computer is not a folder for a while: no sync can get through.
    const notes = join(project.dir, 'notebooks');
    await rename(notes, `${notes}.away`);
    await writeFile(notes, 'not a folder');
    const seen = states.length;
    await fx.core.sessions.stop(s.id);
    expect(fx.core.syncWatcher.watching).not.toContain(s.id);
    const failing = await eventually(() => states.slice(seen).find((e) => e.id === s.id && e.state === 'stopped' && e.syncError?.code === 'SYNC_ROOT_MISSING'), 'stopped state with SYNC_ROOT_MISSING');
    expect(failing.syncError).toMatchObject({ code: 'SYNC_ROOT_MISSING', message: expect.stringContaining(`${notes} is not a folder`) });

    await rm(notes);
    await rename(`${notes}.away`, notes);
    const after = states.length;
    const cleared = await eventually(() => states.slice(after).find((e) => e.id === s.id && !e.syncError), 'state without sync error');
    expect(cleared.state).toBe('stopped');
    expect(await readFile(join(notes, 'last save.txt'), 'utf8')).toBe('saved right before stop');
  }, 120_000);
});
