// The notebooks sync with a folder on the real test cluster's shared file system, over the login
// node's SSH connection (issue 15): up and back, trash and restore both ways, a removed folder, and
// names from the cluster that must not be trusted.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchtopError } from '../../src/main/core/errors';
import { clusterOrSkip, folderFixture, type FolderFixture } from './support';

const { env, skip } = clusterOrSkip();
const code = async (work: Promise<unknown>) => work.then(() => 'no error', (e: unknown) => (e instanceof BenchtopError ? e.code : String(e)));

describe.skipIf(!!skip)('notebooks sync with a cluster folder', () => {
  let f: FolderFixture;
  beforeAll(async () => {
    f = await folderFixture(env!);
  }, 120_000);
  afterAll(async () => f?.close(), 60_000);

  const sync = (dir: string, extra: { confirmDeletes?: boolean; adoptVolume?: string } = {}) =>
    f.core.sync.sync(f.core.ops.create(`t-${Math.random().toString(36).slice(2)}`), {projectDir: dir, target: f.target, ...extra });

  it("a new project's notebooks go up to the folder its jobs mount and come back edited", async () => {
    const p = await f.project();
    const notebooks = join(p.dir, 'notebooks');
    writeFileSync(join(notebooks, 'analysis.py'), 'print("from the laptop")\n');
    const first = await sync(p.dir);
    expect(first.volume).toBe(p.folder);
    expect(first.uploaded).toBeGreaterThanOrEqual(2);
    expect((await f.login(`cat '${p.folder}/analysis.py'`)).stdout).toBe('print("from the laptop")\n');
    // The marker holds the recorded id, and the sync's own files stay out of the synced tree.
    expect((await f.login(`cat '${p.folder}/.benchtop/folder-id'`)).stdout).toMatch(/^[0-9a-f-]{36}$/);
    expect(await f.core.slurm.notebooksFolder(f.target, p.name)).toBe(p.folder);

    await f.login(`printf 'edited on the cluster\\n' > '${p.folder}/analysis.py' && mkdir -p '${p.folder}/results' && printf 42 > '${p.folder}/results/answer.txt'`);
    const back = await sync(p.dir);
    expect(back.downloaded).toBe(2);
    expect(readFileSync(join(notebooks, 'analysis.py'), 'utf8')).toBe('edited on the cluster\n');
    expect(readFileSync(join(notebooks, 'results', 'answer.txt'), 'utf8')).toBe('42');
    expect((await sync(p.dir)).uploaded + (await sync(p.dir)).downloaded).toBe(0);
  }, 120_000);

  it('a deletion on either side lands in that side\'s trash, and restore brings it back', async () => {
    const p = await f.project();
    const notebooks = join(p.dir, 'notebooks');
    writeFileSync(join(notebooks, 'keep.py'), 'keep me\n');
    writeFileSync(join(notebooks, 'gone-here.py'), 'deleted on the laptop\n');
    await sync(p.dir);

    // Deleted on the cluster: the laptop's copy goes to the laptop's trash.
    await f.login(`rm '${p.folder}/keep.py'`);
    expect((await sync(p.dir)).deleted).toBe(1);
    expect(existsSync(join(notebooks, 'keep.py'))).toBe(false);
    // Deleted on the laptop: the cluster's copy goes to the folder's trash (outside the synced tree).
    rmSync(join(notebooks, 'gone-here.py'));
    expect((await sync(p.dir)).deleted).toBe(1);
    expect((await f.login(`test -e '${p.folder}/gone-here.py'`)).code).not.toBe(0);

    const trash = await f.core.sync.trashList(p.dir, f.target);
    const local = trash.find((t) => t.path === 'keep.py' && t.where === 'local');
    const remote = trash.find((t) => t.path === 'gone-here.py' && t.where === f.target);
    expect(local).toBeDefined();
    expect(remote).toBeDefined();
    await f.core.sync.trashRestore(p.dir, local!);
    await f.core.sync.trashRestore(p.dir, remote!);
    expect(readFileSync(join(notebooks, 'gone-here.py'), 'utf8')).toBe('deleted on the laptop\n');
    expect(readFileSync(join(notebooks, 'keep.py'), 'utf8')).toBe('keep me\n');
    expect((await sync(p.dir)).uploaded).toBe(2);
    expect((await f.login(`cat '${p.folder}/keep.py' '${p.folder}/gone-here.py'`)).stdout).toBe('keep me\ndeleted on the laptop\n');
    expect((await f.core.sync.trashList(p.dir, f.target)).some((t) => t.path === 'gone-here.py' && t.where === f.target)).toBe(false);
  }, 120_000);

  it('mass deletions on the cluster ask first', async () => {
    const p = await f.project();
    for (let i = 0; i < 8; i += 1) writeFileSync(join(p.dir, 'notebooks', `n${i}.py`), `${i}\n`);
    await sync(p.dir);
    await f.login(`rm '${p.folder}'/n*.py`);
    expect(await code(sync(p.dir))).toBe('SYNC_MASS_DELETE');
    expect(readdirSync(join(p.dir, 'notebooks')).filter((n) => n.startsWith('n')).length).toBe(8);
  }, 120_000);

  it('a removed or re-made cluster folder stops the sync with nothing deleted on the laptop', async () => {
    const p = await f.project();
    const notebooks = join(p.dir, 'notebooks');
    writeFileSync(join(notebooks, 'precious.py'), 'precious\n');
    await sync(p.dir);
    // Emptied (its marker gone with everything else), then removed: neither is "everything was deleted".
    await f.login(`cd '${p.folder}' && rm -rf -- * .benchtop`);
    expect(await code(sync(p.dir))).toBe('SYNC_ROOT_MISSING');
    await f.login(`rm -rf '${p.folder}'`);
    expect(await code(sync(p.dir))).toBe('SYNC_ROOT_MISSING');
    expect(readFileSync(join(notebooks, 'precious.py'), 'utf8')).toBe('precious\n');
    // Made again by someone else, with other files in it: not the folder this project synced with.
    await f.login(`mkdir -p '${p.folder}' && printf other > '${p.folder}/other.py'`);
    expect(await code(sync(p.dir))).toBe('SYNC_VOLUME_CHANGED');
    expect(readdirSync(notebooks).sort()).toEqual(['hello.ipynb', 'precious.py']);
    // Adopted as it is: both sides merged, nothing deleted.
    await sync(p.dir, { adoptVolume: p.folder });
    expect(readdirSync(notebooks).sort()).toEqual(['hello.ipynb', 'other.py', 'precious.py']);
    expect((await f.login(`ls '${p.folder}'`)).stdout.split('\n').filter(Boolean).sort()).toEqual(['hello.ipynb', 'other.py', 'precious.py']);
  }, 120_000);

  it('names from the cluster are never trusted as paths: a link is not followed, a newline stays one name', async () => {
    const p = await f.project();
    const notebooks = join(p.dir, 'notebooks');
    await sync(p.dir);
    const outside = join(p.dir, 'outside');
    mkdirSync(outside);
    await f.login(`cd '${p.folder}' && ln -s /etc escape && ln -s '${outside}' out && printf x > "$(printf 'two\\nlines.py')" && mkdir -p sub && printf y > sub/ok.py`);
    const result = await sync(p.dir);
    expect(existsSync(join(notebooks, 'escape'))).toBe(false);
    expect(existsSync(join(notebooks, 'out'))).toBe(false);
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(join(notebooks, 'two\nlines.py'), 'utf8')).toBe('x');
    expect(existsSync(join(notebooks, 'two'))).toBe(false);
    expect(readFileSync(join(notebooks, 'sub', 'ok.py'), 'utf8')).toBe('y');
    expect(result.downloaded).toBe(2);
  }, 120_000);
});
