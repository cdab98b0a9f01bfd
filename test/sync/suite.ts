import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../src/shared/contract/hosts';
import type { BenchtopError } from '../../src/main/core/errors';
import type { ErrorCode } from '../../src/shared/errors';
import { localList, sha256, type SyncFixture } from './support';

export interface SuiteSide {
  fixture: SyncFixture;
  /** Cuts a running sync off mid-transfer the way it happens for real on this kind of target. */
  cut(opId: string): void;
  /** The codes a cut sync may fail with. */
  cutCodes: ErrorCode[];
}

/** The same behaviour, asserted against the volume on this computer's engine and on the SSH host's. */
export function defineSyncSuite(title: string, setup: () => Promise<SuiteSide>): void {
  describe(title, () => {
    let f: SyncFixture;
    let side: SuiteSide;
    let n = 0;
    beforeEach(async () => {
      side = await setup();
      f = side.fixture;
    });
    afterEach(async () => {
      await f.cleanup();
    });

    /** One sync as the app runs it while a session is up: through the session's container. */
    const sync = async (opts: { viaHelper?: boolean } = {}) => {
      const containerId = opts.viaHelper ? undefined : (await f.session()).id;
      return f.core.sync.sync(f.core.ops.create(`t-${(n += 1)}`), { projectDir: f.dir, target: f.target, containerId, image: f.image });
    };

    it('sends a new project up (spaces, unicode, empty folders, lockfile) and then has nothing to do', async () => {
      await mkdir(join(f.notebooks, 'data/raw'), { recursive: true });
      await mkdir(join(f.notebooks, 'empty folder/inner'), { recursive: true });
      await writeFile(join(f.notebooks, 'analysis.ipynb'), '{"cells": []}');
      await writeFile(join(f.notebooks, 'data/raw/measurements 2026.csv'), 'a,b\n1,2\n');
      await writeFile(join(f.notebooks, 'Überblick – café ☕.ipynb'), '{"cells": ["ü"]}');
      await writeFile(f.lockfile, 'numpy==2.1.0\n');

      const first = await sync({ viaHelper: true });
      expect(first).toMatchObject({ uploaded: 4, downloaded: 0, deleted: 0, conflicts: [] });
      expect(await f.remoteList()).toEqual([
        'd .benchtop', 'd data', 'd data/raw', 'd empty folder', 'd empty folder/inner',
        'f .benchtop/environment.lock', 'f analysis.ipynb', 'f data/raw/measurements 2026.csv', 'f Überblick – café ☕.ipynb',
      ].sort());
      expect((await f.readRemote('Überblick – café ☕.ipynb')).toString()).toBe('{"cells": ["ü"]}');
      expect((await f.readRemote('.benchtop/environment.lock')).toString()).toBe('numpy==2.1.0\n');
      // The image's user owns what arrives, so Jupyter can save over it.
      expect((await f.remote('stat -c "%u:%g" "$1"', 'analysis.ipynb')).trim()).toBe((await f.remote('stat -c "%u:%g" .')).trim());

      expect(await sync()).toMatchObject({ uploaded: 0, downloaded: 0, deleted: 0, bytes: 0, conflicts: [] });
    });

    it('stops when the volume was removed and made again, and adopting it deletes nothing on this computer', async () => {
      await writeFile(join(f.notebooks, 'keep me.ipynb'), 'precious');
      await mkdir(join(f.notebooks, 'sub'));
      await writeFile(join(f.notebooks, 'sub/also.ipynb'), 'also precious');
      await sync({ viaHelper: true });
      await f.dropSession();
      await f.docker.getVolume(f.volume).remove();
      await f.docker.createVolume({ Name: f.volume });
      // The empty volume of the same name is not "everything was deleted there": the sync stops and names it.
      const refused = await f.core.sync.sync(f.core.ops.create(`t-${(n += 1)}`), { projectDir: f.dir, target: f.target, image: f.image }).then(() => undefined, (e: BenchtopError) => e);
      expect(refused?.code).toBe('SYNC_VOLUME_CHANGED');
      expect(refused?.message).toContain(`The volume ${f.volume} on ${f.target} is not the one ${f.dir} synced with: it was removed and made again`);
      expect(refused?.hint).toContain(`--adopt ${f.volume}`);
      expect(await localList(f.notebooks)).toEqual(['d sub', 'f keep me.ipynb', 'f sub/also.ipynb']);

      const adopted = await f.core.sync.sync(f.core.ops.create(`t-${(n += 1)}`), { projectDir: f.dir, target: f.target, image: f.image, adoptVolume: f.volume });
      expect(adopted).toMatchObject({ uploaded: 2, downloaded: 0, deleted: 0, volume: f.volume });
      expect(await localList(f.notebooks)).toEqual(['d sub', 'f keep me.ipynb', 'f sub/also.ipynb']);
      expect(await sync({ viaHelper: true })).toMatchObject({ uploaded: 0, downloaded: 0, deleted: 0 });
    });

    it('brings edits, new files and new folders made in the session back, and deletions both ways', async () => {
      await mkdir(join(f.notebooks, 'old'), { recursive: true });
      await writeFile(join(f.notebooks, 'old/gone.ipynb'), 'gone');
      await writeFile(join(f.notebooks, 'kept.ipynb'), 'v1');
      await writeFile(join(f.notebooks, 'local-delete.ipynb'), 'bye');
      await sync();

      await f.remote('printf v2 > kept.ipynb && mkdir -p "new dir/sub" && printf fresh > "new dir/sub/résumé.ipynb" && rm -r old');
      await rm(join(f.notebooks, 'local-delete.ipynb'));
      const result = await sync();
      expect(result).toMatchObject({ uploaded: 0, downloaded: 2, conflicts: [] });
      expect(result.deleted).toBe(3); // old/gone.ipynb and old/ here, local-delete.ipynb there
      expect(await readFile(join(f.notebooks, 'kept.ipynb'), 'utf8')).toBe('v2');
      expect(await readFile(join(f.notebooks, 'new dir/sub/résumé.ipynb'), 'utf8')).toBe('fresh');
      expect(await localList(f.notebooks)).toEqual(['d new dir', 'd new dir/sub', 'f kept.ipynb', 'f new dir/sub/résumé.ipynb']);
      expect(await f.remoteList()).toEqual(['d new dir', 'd new dir/sub', 'f kept.ipynb', 'f new dir/sub/résumé.ipynb']);
      expect(await sync({ viaHelper: true })).toMatchObject({ uploaded: 0, downloaded: 0, deleted: 0 });
    });

    it('sees a file renamed over another of the same size and mtime, on either side', async () => {
      // Same size and the same mtime to the nanosecond: what two writes in one tick of a coarse
      // clock give. Only the inode tells the renamed file from the one it replaced.
      await writeFile(join(f.notebooks, 'a.ipynb'), 'AAAA');
      await writeFile(join(f.notebooks, 'b.ipynb'), 'BBBB');
      await f.remote('true'); // the session is up before the first sync
      await sync();
      await f.remote('touch -d @1700000000.123456789 c.ipynb d.ipynb && printf CCCC > c.ipynb && printf DDDD > d.ipynb && touch -d @1700000000.123456789 c.ipynb d.ipynb');
      await sync();
      expect(await readFile(join(f.notebooks, 'd.ipynb'), 'utf8')).toBe('DDDD');
      await f.remote('mv d.ipynb c.ipynb');
      expect(await sync()).toMatchObject({ downloaded: 1, conflicts: [] });
      expect(await readFile(join(f.notebooks, 'c.ipynb'), 'utf8')).toBe('DDDD');

      const when = new Date(1_700_000_100_000);
      await writeFile(join(f.notebooks, 'a.ipynb'), 'EEEE');
      await utimes(join(f.notebooks, 'a.ipynb'), when, when);
      await utimes(join(f.notebooks, 'b.ipynb'), when, when);
      await sync();
      await rename(join(f.notebooks, 'b.ipynb'), join(f.notebooks, 'a.ipynb'));
      expect(await sync()).toMatchObject({ uploaded: 1, conflicts: [] });
      expect(await f.remote('cat a.ipynb')).toBe('BBBB');
      expect(await f.remoteList()).toEqual(['f a.ipynb', 'f c.ipynb']);
    });

    it('keeps both versions when a notebook changed on both sides, and an edit beats a deletion', async () => {
      await writeFile(join(f.notebooks, 'analysis.ipynb'), 'base');
      await writeFile(join(f.notebooks, 'edited-there.ipynb'), 'base');
      await sync();
      await writeFile(join(f.notebooks, 'analysis.ipynb'), 'laptop edit');
      await rm(join(f.notebooks, 'edited-there.ipynb'));
      await f.remote('printf "host edit" > analysis.ipynb && printf "kept edit" > edited-there.ipynb');

      const result = await sync();
      expect(result.conflicts).toHaveLength(1);
      const name = f.target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(result.conflicts[0]).toMatch(new RegExp(`^analysis\\.ipynb: changed on both sides; the ${name} version was kept as "analysis \\(conflict from ${name} \\d{4}-\\d\\d-\\d\\d \\d{4}\\)\\.ipynb"$`));
      const copy = /"(.+)"$/.exec(result.conflicts[0])?.[1] as string;
      expect(await readFile(join(f.notebooks, 'analysis.ipynb'), 'utf8')).toBe('laptop edit');
      expect(await readFile(join(f.notebooks, copy), 'utf8')).toBe('host edit');
      expect((await f.readRemote('analysis.ipynb')).toString()).toBe('laptop edit');
      expect((await f.readRemote(copy)).toString()).toBe('host edit');
      expect(await readFile(join(f.notebooks, 'edited-there.ipynb'), 'utf8')).toBe('kept edit');
      expect(await sync()).toMatchObject({ uploaded: 0, downloaded: 0, deleted: 0, conflicts: [] });
    });

    it('moves a 100 MB file intact and reports progress for it', async () => {
      const big = randomBytes(100 * 1024 * 1024);
      await writeFile(join(f.notebooks, 'big data.parquet'), big);
      const events: SyncProgress[] = [];
      const off = f.core.bus.on('syncProgress', (p) => events.push(p));
      const result = await f.core.sync.sync(f.core.ops.create('big-up'), { projectDir: f.dir, target: f.target, containerId: (await f.session()).id, image: f.image });
      off();
      expect(result).toMatchObject({ uploaded: 1, bytes: big.length });
      expect((await f.remote('sha256sum "big data.parquet"')).slice(0, 64)).toBe(sha256(big));
      expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(['scanning', 'uploading', 'done']));
      expect(events.every((e) => e.opId === 'big-up')).toBe(true);
      expect(events.at(-1)).toMatchObject({ phase: 'done', filesDone: 1, filesTotal: 1, bytesDone: big.length, bytesTotal: big.length });

      // And back: replaced in the volume, it comes down whole.
      await f.remote('printf small > "big data.parquet"');
      expect(await sync()).toMatchObject({ downloaded: 1 });
      expect(await readFile(join(f.notebooks, 'big data.parquet'), 'utf8')).toBe('small');
    });

    it('loses nothing when a transfer is cut off midway, and the next sync completes', async () => {
      await writeFile(join(f.notebooks, 'analysis.ipynb'), 'v1');
      await sync();
      const big = randomBytes(100 * 1024 * 1024);
      await writeFile(join(f.notebooks, 'big.bin'), big);
      await writeFile(join(f.notebooks, 'analysis.ipynb'), 'v2 local');
      await f.remote('printf "from host" > host-note.ipynb');

      // Cut the stream once a quarter of the bytes went through.
      const off = f.core.bus.on('syncProgress', (p) => {
        if (p.opId === 'cut' && p.bytesDone > big.length / 4 && !cutDone) {
          cutDone = true;
          side.cut('cut');
        }
      });
      let cutDone = false;
      const cut = await f.core.ops.run('cut', async (op) => f.core.sync.sync(op, { projectDir: f.dir, target: f.target, containerId: (await f.session()).id, image: f.image }))
        .then(() => undefined, (e: BenchtopError) => e);
      off();
      expect(side.cutCodes).toContain(cut?.code);
      expect(cut?.message).toMatch(/Both sides are intact/);
      // Both sides exactly as before the sync: the old notebook in the volume, no half file anywhere.
      expect((await f.readRemote('analysis.ipynb')).toString()).toBe('v1');
      expect(await f.remoteList()).toEqual(['f analysis.ipynb', 'f host-note.ipynb']);
      expect(await localList(f.notebooks)).toEqual(['f analysis.ipynb', 'f big.bin']);
      expect(await readFile(join(f.notebooks, 'analysis.ipynb'), 'utf8')).toBe('v2 local');

      const next = await sync();
      expect(next).toMatchObject({ uploaded: 2, downloaded: 1, conflicts: [] });
      expect((await f.remote('sha256sum big.bin')).slice(0, 64)).toBe(sha256(big));
      expect((await f.readRemote('analysis.ipynb')).toString()).toBe('v2 local');
      expect(await readFile(join(f.notebooks, 'host-note.ipynb'), 'utf8')).toBe('from host');
    });
  });
}
