import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import { notebooksVolumeName } from '../../src/main/core/sync/volume';
import type { SessionInfo } from '../../src/shared/contract/sessions';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { makeProject, type FixtureProject } from '../support/fixture-project';
import { loopbackPortFree } from '../../src/main/core/session/ports';
import { pinJupyterPort, withoutFixedPort } from '../sync/support';

const ready = existsSync(new URL('../../.test-env/ssh-host.json', import.meta.url)) && existsSync(new URL('../../.test-env/env.json', import.meta.url));

/** Every file under the notebooks folder with its sha256, the way a byte-for-byte comparison needs it. */
async function snapshot(root: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) {
      out[`${rel}/`] = 'dir';
      Object.assign(out, await snapshot(root, `${rel}/`));
    } else {
      out[rel] = createHash('sha256').update(await readFile(join(root, rel))).digest('hex');
    }
  }
  return out;
}

/** What the user sees in Jupyter: the contents API of the running session, with its token. */
async function jupyter(session: SessionInfo, path: string, init?: RequestInit): Promise<Response> {
  const url = new URL(session.url as string);
  const token = url.searchParams.get('token') as string;
  return fetch(new URL(`/api/contents/${path.split('/').map(encodeURIComponent).join('/')}`, url), {
    ...init, headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
  });
}

describe.skipIf(!ready)('moving a session between this computer and an SSH host', () => {
  let fx: HostsFixture;
  let project: FixtureProject;
  let target = '';
  const sessions = new Set<string>();

  beforeAll(async () => {
    ({ fx, target } = await sshHostFixture());
    project = await makeProject();
    await withoutFixedPort(project.devcontainerPath);
  });

  const projects: FixtureProject[] = [];
  afterAll(async () => {
    for (const id of sessions) await fx.core.sessions.remove(id).catch(() => undefined);
    for (const p of [project, ...projects]) {
      const info = await fx.core.projects.read(p.dir).catch(() => undefined);
      if (info) await (await fx.core.engines.docker(target)).getVolume(notebooksVolumeName(info.dir, info.name)).remove().catch(() => undefined);
      await p.cleanup();
    }
    await fx.close();
  });

  it('moves a running session to the host and back, and every notebook arrives byte for byte', async () => {
    const notebooks = join(project.dir, 'notebooks');
    await mkdir(join(notebooks, 'reports/2026'), { recursive: true });
    await mkdir(join(notebooks, 'scratch space'), { recursive: true });
    await writeFile(join(notebooks, 'analysis.ipynb'), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    await writeFile(join(notebooks, 'reports/2026/Q4 résumé ☕.ipynb'), JSON.stringify({ cells: [], metadata: { x: 'ü' }, nbformat: 4, nbformat_minor: 5 }));
    await writeFile(join(notebooks, 'data.bin'), Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251)));
    const before = await snapshot(notebooks);

    const local = await fx.core.sessions.up(fx.core.ops.create('bt-test-up'), project.dir, 'local');
    sessions.add(local.id);
    expect(local.state).toBe('ready');

    const steps: string[] = [];
    const off = fx.core.bus.on('operationStep', (s) => s.opId === 'bt-test-out' && steps.push(s.step));
    const remote = await fx.core.moves.move(fx.core.ops.create('bt-test-out'), local.id, target);
    off();
    sessions.add(remote.id);
    expect(steps).toEqual(['pull', 'sync-to-destination', 'start-destination', 'stop-source', 'final-sync']);
    expect(remote).toMatchObject({ target, state: 'ready', digest: project.digest });
    expect((await fx.core.sessions.get(local.id)).state).toBe('stopped');
    // Jupyter on the host shows the notebooks that were on this computer.
    const listed = (await (await jupyter(remote, 'reports/2026')).json()) as { content: { name: string }[] };
    expect(listed.content.map((c) => c.name)).toEqual(['Q4 résumé ☕.ipynb']);

    // Work on the host, saved through Jupyter as a user would.
    const edited = { cells: [{ cell_type: 'markdown', metadata: {}, source: 'done on the GPU box' }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    expect((await jupyter(remote, 'analysis.ipynb', { method: 'PUT', body: JSON.stringify({ type: 'notebook', content: edited }) })).ok).toBe(true);
    expect((await jupyter(remote, 'gpu run.ipynb', { method: 'PUT', body: JSON.stringify({ type: 'notebook', content: edited }) })).ok).toBe(true);

    const home = await fx.core.moves.move(fx.core.ops.create('bt-test-back'), remote.id, 'local');
    expect(home).toMatchObject({ target: 'local', state: 'ready', id: local.id });
    expect((await fx.core.sessions.get(remote.id)).state).toBe('stopped');

    const after = await snapshot(notebooks);
    // Jupyter stores a cell's source as a list of lines.
    const sourceOf = async (name: string) => {
      const nb = JSON.parse(await readFile(join(notebooks, name), 'utf8')) as { cells: { source: string | string[] }[] };
      return ([] as string[]).concat(nb.cells[0].source).join('');
    };
    expect(await sourceOf('analysis.ipynb')).toBe('done on the GPU box');
    expect(await sourceOf('gpu run.ipynb')).toBe('done on the GPU box');
    // Everything else came back untouched, byte for byte, empty folder included.
    const { 'analysis.ipynb': _a, ...unchangedBefore } = before;
    const { 'analysis.ipynb': _b, 'gpu run.ipynb': _c, ...unchangedAfter } = after;
    expect(unchangedAfter).toEqual(unchangedBefore);
    expect(Object.keys(after).filter((k) => k.includes('conflict'))).toEqual([]);
  }, 300_000);

  it('moves a project that pins its Jupyter port by stopping the source first, out and back', async () => {
    const pinned = await makeProject();
    projects.push(pinned);
    let port = 18800 + Math.floor(Math.random() * 500);
    while (!(await loopbackPortFree(port))) port += 1;
    await pinJupyterPort(pinned.devcontainerPath, port);
    const notebooks = join(pinned.dir, 'notebooks');
    await writeFile(join(notebooks, 'pinned.ipynb'), JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const before = await snapshot(notebooks);
    const local = await fx.core.sessions.up(fx.core.ops.create('bt-test-up-pinned'), pinned.dir, 'local');
    sessions.add(local.id);

    const steps: string[] = [];
    const off = fx.core.bus.on('operationStep', (s) => /^bt-test-pinned-(out|back)$/.test(s.opId) && steps.push(`${s.opId.slice(15)}:${s.step}`));
    const remote = await fx.core.moves.move(fx.core.ops.create('bt-test-pinned-out'), local.id, target);
    sessions.add(remote.id);
    expect(remote.state).toBe('ready');
    const home = await fx.core.moves.move(fx.core.ops.create('bt-test-pinned-back'), remote.id, 'local');
    off();
    // One Jupyter at a time on that port: the source stops before the destination starts.
    expect(steps).toEqual([
      'out:pull', 'out:sync-to-destination', 'out:stop-source', 'out:start-destination',
      'back:sync-from-source', 'back:stop-source', 'back:final-sync', 'back:start-destination',
    ]);
    expect(home).toMatchObject({ target: 'local', state: 'ready', hostPort: port });
    expect(await snapshot(notebooks)).toEqual(before);
  }, 300_000);

  it('fails with MOVE_FAILED naming the step, and leaves the running session and its notebooks alone', async () => {
    const local = await fx.core.sessions.up(fx.core.ops.create('bt-test-up2'), project.dir, 'local');
    sessions.add(local.id);
    const before = await snapshot(join(project.dir, 'notebooks'));
    // Through the IPC handler, as the app calls it: the error envelope the UI shows.
    const answer = await dispatch(createHandlers(fx.core), 'sessionMove', { opId: 'bt-test-nowhere', sessionId: local.id, target: 'no-such-host' });
    const error = 'error' in answer ? answer.error : undefined;
    expect(error?.code).toBe('MOVE_FAILED');
    expect(error?.message).toMatch(/failed at step "pull": HOST_NOT_FOUND/);
    expect(error?.hint).toMatch(/notebooks are intact on both sides and the session runs on local/);
    expect((await fx.core.sessions.get(local.id)).state).toBe('ready');
    expect(await snapshot(join(project.dir, 'notebooks'))).toEqual(before);
  }, 120_000);
});
