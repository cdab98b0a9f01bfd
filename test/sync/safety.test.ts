import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchtopError } from '../../src/main/core/errors';
import type { SyncRequest } from '../../src/main/core/sync/service';
import { localList, type SyncFixture } from './support';
import { sshHostReady, sshHostSync } from './ssh-host-sync';

const root = new URL('../..', import.meta.url).pathname;

/** Sends `n` notebooks up and returns their names. */
async function notebooks(f: SyncFixture, n: number, prefix = 'nb'): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `${prefix}-${i}.ipynb`);
  for (const name of names) await writeFile(join(f.notebooks, name), `{"cells": ["${name}"]}`);
  return names;
}

describe.skipIf(!sshHostReady)('sync never loses notebooks (SSH host)', () => {
  const host = sshHostSync();
  let f: SyncFixture;
  let n = 0;

  const fixture = async () => (f = await host.fixture());
  /** A sync through the stand-in session's container (or a helper, as after the session stopped). */
  const sync = async (opts: Partial<SyncRequest> & { viaHelper?: boolean } = {}) => {
    const { viaHelper, ...rest } = opts;
    const containerId = viaHelper ? undefined : (await f.session()).id;
    return f.core.sync.sync(f.core.ops.create(`safety-${(n += 1)}`), { projectDir: f.dir, target: f.target, containerId, image: f.image, ...rest });
  };
  const failure = (opts: Parameters<typeof sync>[0] = {}) => sync(opts).then(() => undefined, (e: BenchtopError) => e);

  it('renaming the project keeps its volume: sync, stop, sync deletes nothing (the issue\'s repro)', async () => {
    await fixture();
    const names = await notebooks(f, 7);
    expect(await sync()).toMatchObject({ uploaded: 7, deleted: 0 });
    const devcontainer = join(f.dir, '.devcontainer', 'devcontainer.json');
    await writeFile(devcontainer, (await readFile(devcontainer, 'utf8')).replace(/"name":\s*"[^"]+"/, '"name": "renamed project"'));
    expect(await sync()).toMatchObject({ uploaded: 0, downloaded: 0, deleted: 0, volume: f.volume });
    await f.dropSession(); // the session stops: the next sync goes through a helper on the recorded volume
    expect(await sync({ viaHelper: true })).toMatchObject({ uploaded: 0, downloaded: 0, deleted: 0, volume: f.volume });
    expect(await localList(f.notebooks)).toEqual(names.map((x) => `f ${x}`).sort());
  });

  it('a notebooks folder moved away (or a new notebooks path) is SYNC_ROOT_MISSING, and host-only edits survive (the issue\'s repro)', async () => {
    await fixture();
    await notebooks(f, 6);
    await sync();
    await f.remote('printf "edited on the host" > nb-2.ipynb');
    await rename(f.notebooks, `${f.notebooks}.away`);
    const missing = await failure();
    expect(missing?.code).toBe('SYNC_ROOT_MISSING');
    expect(missing?.message).toBe(`The notebooks folder ${f.notebooks} is missing, while the last sync with ${host.target} saw 6 files in it. Nothing was synced or deleted.`);
    // Even a confirmed sync does not take a missing folder for "all deleted".
    expect((await failure({ confirmDeletes: true }))?.code).toBe('SYNC_ROOT_MISSING');
    // A new, empty notebooks path in devcontainer.json is the same thing.
    await mkdir(f.notebooks);
    expect((await failure())?.code).toBe('SYNC_ROOT_MISSING');
    expect((await f.remoteList()).length).toBe(6);
    await rm(f.notebooks, { recursive: true });
    await rename(`${f.notebooks}.away`, f.notebooks);
    expect(await sync()).toMatchObject({ downloaded: 1, deleted: 0 });
    expect(await readFile(join(f.notebooks, 'nb-2.ipynb'), 'utf8')).toBe('edited on the host');
  });

  it('an emptied volume is SYNC_ROOT_MISSING too; confirmed, the deletions come here and every file is in Recently removed', async () => {
    await fixture();
    const names = await notebooks(f, 3);
    await sync();
    await f.remote('rm -f ./*.ipynb');
    const empty = await failure();
    expect(empty?.code).toBe('SYNC_ROOT_MISSING');
    expect(empty?.message).toMatch(/^The notebooks volume on .+ is empty, while the last sync saw 3 files in it\./);
    expect(await localList(f.notebooks)).toHaveLength(3);
    expect(await sync({ confirmDeletes: true })).toMatchObject({ deleted: 3 });
    const kept = await f.core.sync.trashList(f.dir);
    expect(kept.map((e) => [e.where, e.kind, e.path])).toEqual(expect.arrayContaining(names.map((x) => ['local', 'deleted', x])));
    await f.core.sync.trashRestore(f.dir, kept.find((e) => e.path === 'nb-1.ipynb') as (typeof kept)[number]);
    expect(await readFile(join(f.notebooks, 'nb-1.ipynb'), 'utf8')).toBe('{"cells": ["nb-1.ipynb"]}');
    expect((await f.core.sync.trashList(f.dir)).map((e) => e.path)).not.toContain('nb-1.ipynb');
    expect(await sync()).toMatchObject({ uploaded: 1 });
  });

  it('a bulk deletion stops with SYNC_MASS_DELETE listing what would go, until confirmed; the host keeps every deleted file', async () => {
    await fixture();
    await notebooks(f, 10);
    await sync();
    for (let i = 0; i < 7; i += 1) await rm(join(f.notebooks, `nb-${i}.ipynb`));
    const mass = await failure();
    expect(mass?.code).toBe('SYNC_MASS_DELETE');
    expect(mass?.message).toBe(`This sync would delete 7 files in the volume on ${host.target} ("nb-0.ipynb", "nb-1.ipynb", "nb-2.ipynb", "nb-3.ipynb", "nb-4.ipynb", "nb-5.ipynb", "nb-6.ipynb"). Nothing was synced or deleted.`);
    expect(mass?.hint).toMatch(/--yes/);
    expect((await f.remoteList()).length).toBe(10);
    expect(await sync({ confirmDeletes: true })).toMatchObject({ deleted: 7 });
    const onHost = await f.core.sync.trashList(f.dir, host.target, { containerId: (await f.session()).id });
    expect(onHost.filter((e) => e.where === host.target && e.kind === 'deleted').map((e) => e.path).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `nb-${i}.ipynb`));
    // Back from the host's trash with one call; the next sync carries it up again.
    await f.core.sync.trashRestore(f.dir, onHost.find((e) => e.path === 'nb-4.ipynb') as (typeof onHost)[number], { containerId: (await f.session()).id });
    expect(await readFile(join(f.notebooks, 'nb-4.ipynb'), 'utf8')).toBe('{"cells": ["nb-4.ipynb"]}');
    expect(await sync()).toMatchObject({ uploaded: 1, deleted: 0 });
  });

  it('keeps the overwritten version on both sides, and expires versions older than 30 days', async () => {
    await fixture();
    await writeFile(join(f.notebooks, 'a.ipynb'), 'v1');
    await writeFile(join(f.notebooks, 'b.ipynb'), 'v1');
    await sync();
    await writeFile(join(f.notebooks, 'a.ipynb'), 'v2 here');
    await f.remote('printf "v2 there" > b.ipynb && mkdir -p .benchtop/trash/1000000000000-0123abcd/deleted && printf old > .benchtop/trash/1000000000000-0123abcd/deleted/ancient.ipynb');
    await mkdir(join(f.dir, '.benchtop/trash/1000000000000-0123abcd/deleted'), { recursive: true });
    await writeFile(join(f.dir, '.benchtop/trash/1000000000000-0123abcd/deleted/ancient.ipynb'), 'old');
    expect(await sync()).toMatchObject({ uploaded: 1, downloaded: 1 });
    const kept = await f.core.sync.trashList(f.dir, host.target, { containerId: (await f.session()).id });
    expect(kept.map((e) => [e.where, e.kind, e.path, e.size])).toEqual(expect.arrayContaining([['local', 'replaced', 'b.ipynb', 2], [host.target, 'replaced', 'a.ipynb', 2]]));
    expect(kept.map((e) => e.path)).not.toContain('ancient.ipynb');
    expect(await f.remote('ls .benchtop/trash')).not.toContain('1000000000000-0123abcd');
  });

  it('never writes through a link in the volume: that path is refused (SYNC_PATH_UNSAFE), the rest syncs', async () => {
    await fixture();
    await mkdir(join(f.notebooks, 'escape'));
    await writeFile(join(f.notebooks, 'escape', 'first.ipynb'), 'x');
    await sync();
    // In the session, someone swaps the folder for a link out of the volume.
    await f.remote('rm -r escape && ln -s /tmp escape');
    await writeFile(join(f.notebooks, 'escape', 'second.ipynb'), 'must not land in /tmp');
    await writeFile(join(f.notebooks, 'fine.ipynb'), 'fine');
    const result = await sync({ confirmDeletes: true });
    expect(result.refused).toEqual(expect.arrayContaining([expect.stringMatching(/^"escape\/second\.ipynb" was not written in the volume on .+: a folder in its path is a link or a file$/)]));
    expect((await f.readRemote('fine.ipynb')).toString()).toBe('fine');
    expect(await f.remote('ls /tmp')).not.toContain('second.ipynb');
    // The apply step ran as the volume's owner, not root.
    expect((await f.remote('stat -c %u fine.ipynb')).trim()).toBe('1000');
  });

  it('a session mounting another volume than the recorded one is SYNC_VOLUME_CHANGED naming both; --adopt picks it', async () => {
    await fixture();
    await notebooks(f, 2);
    await sync({ viaHelper: true });
    const other = `bt-test-other-${n}-${Date.now().toString(36)}`;
    await f.docker.createVolume({ Name: other });
    const stray = await f.docker.createContainer({ Image: host.image, Entrypoint: ['sleep', 'infinity'], Cmd: [], HostConfig: { Mounts: [{ Type: 'volume', Source: other, Target: '/home/analyst/work' }], NetworkMode: 'none' } });
    try {
      await stray.start();
      const changed = await f.core.sync.sync(f.core.ops.create(`safety-${(n += 1)}`), { projectDir: f.dir, target: host.target, containerId: stray.id }).then(() => undefined, (e: BenchtopError) => e);
      expect(changed?.code).toBe('SYNC_VOLUME_CHANGED');
      expect(changed?.message).toBe(`The session on ${host.target} mounts the volume ${other}, but ${f.dir} syncs with ${f.volume}. Nothing was synced or deleted.`);
      expect(changed?.hint).toContain(`--adopt ${other}`);
      const adopted = await f.core.sync.sync(f.core.ops.create(`safety-${(n += 1)}`), { projectDir: f.dir, target: host.target, containerId: stray.id, adoptVolume: other });
      expect(adopted).toMatchObject({ uploaded: 2, deleted: 0, volume: other });
      expect((await f.core.sync.recordedVolume(f.dir, host.target))?.name).toBe(other);
    } finally {
      await stray.remove({ force: true });
      await f.docker.getVolume(other).remove().catch(() => undefined);
    }
  });

  it('one sync at a time across processes: a live holder gives SYNC_BUSY, a dead one is taken over', async () => {
    await fixture();
    await notebooks(f, 1);
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    const lock = f.core.sync.lockFileOf(f.dir, host.target);
    await mkdir(join(lock, '..'), { recursive: true });
    await writeFile(lock, JSON.stringify({ pid: holder.pid, host: hostname(), token: 'other', since: new Date().toISOString(), what: 'sync by another process' }));
    try {
      const busy = await failure({ waitMs: 300 });
      expect(busy?.code).toBe('SYNC_BUSY');
      expect(busy?.message).toContain(`process ${holder.pid} on ${hostname()}`);
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(await sync()).toMatchObject({ uploaded: 1 });
    expect(existsSync(lock)).toBe(false);
  });

  it('a syncing process killed with SIGKILL mid-transfer leaves both sides whole, and the next sync finishes without duplicates', async () => {
    await fixture();
    await notebooks(f, 3);
    await sync();
    await writeFile(join(f.notebooks, 'big.bin'), Buffer.alloc(60 * 1024 * 1024, 7));
    await writeFile(join(f.notebooks, 'nb-0.ipynb'), 'edited here');
    await f.remote('printf "edited there" > nb-1.ipynb');
    const container = (await f.session()).id;
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/sync/child-sync.ts'), join(host.fx.dir, 'settings'), f.dir, host.target, container], { env: host.fx.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/"phase":"uploading","filesDone":\d+,"filesTotal":\d+,"bytesDone":[1-9]/.test(out)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    expect(out).not.toContain('"result"');
    expect(await readFile(join(f.notebooks, 'nb-0.ipynb'), 'utf8')).toBe('edited here');
    expect((await f.readRemote('nb-1.ipynb')).toString()).toBe('edited there');
    const next = await sync();
    expect(next).toMatchObject({ uploaded: 2, downloaded: 1, conflicts: [] });
    expect(await localList(f.notebooks)).toEqual(['f big.bin', 'f nb-0.ipynb', 'f nb-1.ipynb', 'f nb-2.ipynb']);
    expect(await f.remoteList()).toEqual(['f big.bin', 'f nb-0.ipynb', 'f nb-1.ipynb', 'f nb-2.ipynb']);
    expect(await sync()).toMatchObject({ uploaded: 0, downloaded: 0, deleted: 0 });
  });
});
