import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchtopError } from '../../src/main/core/errors';
import { execIn } from '../../src/main/core/sync/container-exec';
import { localList, sha256, type SyncFixture } from './support';
import { sshHostReady, sshHostSync } from './ssh-host-sync';


/**
 * The sync's helper processes in the session container (sync-agent.ts) outlive one sync; these are
 * the ways they fail, against the SSH test host: killed in the middle of a sync, dead between two,
 * and fed names that look like their own protocol or like shell.
 */
describe.skipIf(!sshHostReady)('the sync helper kept in the session container (SSH host)', () => {
  const host = sshHostSync();
  let f: SyncFixture;
  let n = 0;

  const fixture = async () => (f = await host.fixture());
  const sync = async (opId = `agent-${(n += 1)}`) => f.core.sync.sync(f.core.ops.create(opId), { projectDir: f.dir, target: f.target, containerId: (await f.session()).id, image: f.image });
  /** SIGKILLs the sync's helper processes in the session container (as root); returns how many. */
  const killHelpers = async () => {
    // `BT[R]EQ` matches the helper's command line (its script reads `BTREQ`) but not this one's.
    const out = await execIn(await f.session(), ['sh', '-c', 'for p in /proc/[0-9]*; do if grep -aq "BT[R]EQ" "$p/cmdline" 2>/dev/null; then kill -9 "${p#/proc/}" && echo "${p#/proc/}"; fi; done']);
    return out.stdout.toString().split('\n').filter(Boolean).length;
  };
  /** Every file in the volume (NUL-separated, so names with newlines list right), trash and staging left out. */
  const volumeFiles = async () => (await f.remote('find . -mindepth 1 -type f -not -path "./.benchtop*" -printf "%P\\0"')).split('\0').filter(Boolean).sort();

  it('a helper killed mid-upload fails that sync with both sides intact; the next sync starts a new one and loses nothing', async () => {
    await fixture();
    for (const name of ['nb-0.ipynb', 'nb-1.ipynb', 'nb-2.ipynb']) await writeFile(join(f.notebooks, name), `{"cells": ["${name}"]}`);
    expect(await sync()).toMatchObject({ uploaded: 3 });
    const big = randomBytes(60 * 1024 * 1024);
    await writeFile(join(f.notebooks, 'big.bin'), big);
    await writeFile(join(f.notebooks, 'nb-0.ipynb'), 'edited here');
    await f.remote('printf "edited there" > nb-1.ipynb');

    let killed: Promise<number> | undefined;
    const off = f.core.bus.on('syncProgress', (p) => {
      if (p.opId === 'killed' && p.phase === 'uploading' && p.bytesDone > 0) killed ??= killHelpers();
    });
    const failed = await sync('killed').then(() => undefined, (e: BenchtopError) => e);
    off();
    expect(await killed).toBeGreaterThan(0);
    expect(failed?.code).toBe('SYNC_FAILED');
    expect(failed?.message).toMatch(/the sync helper in the container stopped before it answered.*Both sides are intact\.$/s);
    // Nothing half-done on either side: the volume still has its own edit and no part of big.bin.
    expect(await volumeFiles()).toEqual(['nb-0.ipynb', 'nb-1.ipynb', 'nb-2.ipynb']);
    expect((await f.readRemote('nb-0.ipynb')).toString()).toBe('{"cells": ["nb-0.ipynb"]}');
    expect((await f.readRemote('nb-1.ipynb')).toString()).toBe('edited there');
    expect(await readFile(join(f.notebooks, 'nb-0.ipynb'), 'utf8')).toBe('edited here');

    expect(await sync()).toMatchObject({ uploaded: 2, downloaded: 1, deleted: 0, conflicts: [] });
    expect(await volumeFiles()).toEqual(['big.bin', 'nb-0.ipynb', 'nb-1.ipynb', 'nb-2.ipynb']);
    expect((await f.remote('sha256sum big.bin')).slice(0, 64)).toBe(sha256(big));
    expect((await f.readRemote('nb-0.ipynb')).toString()).toBe('edited here');
    expect(await readFile(join(f.notebooks, 'nb-1.ipynb'), 'utf8')).toBe('edited there');
    expect(await sync()).toMatchObject({ uploaded: 0, downloaded: 0, deleted: 0 });
  });

  it('a helper that died between two syncs is replaced without the user noticing', async () => {
    await fixture();
    await writeFile(join(f.notebooks, 'a.ipynb'), 'one');
    expect(await sync()).toMatchObject({ uploaded: 1 });
    expect(await killHelpers()).toBeGreaterThan(0);
    await writeFile(join(f.notebooks, 'a.ipynb'), 'two');
    await f.remote('printf "from the session" > b.ipynb');
    expect(await sync()).toMatchObject({ uploaded: 1, downloaded: 1, conflicts: [] });
    expect((await f.readRemote('a.ipynb')).toString()).toBe('two');
    expect(await readFile(join(f.notebooks, 'b.ipynb'), 'utf8')).toBe('from the session');
  });

  it('names that look like its protocol or like shell travel both ways as plain names, and nothing runs', async () => {
    await fixture();
    // Its request and end markers, the done marker's text, newlines, shell, option-like and long names.
    const hostile = ['BTREQ\n', 'BTEND\n', 'BTSYNC1\n.ipynb', 'bt-done', 'line\nbreak.ipynb', '$(touch pwned).ipynb', '`touch pwned2`.ipynb',
      '-rf', '--', 'tab\there "quoted" \'single\'.ipynb', 'back\\slash.ipynb', `${'x'.repeat(240)}.ipynb`, 'ünïcödé 🙂.ipynb'];
    await mkdir(join(f.notebooks, 'BTREQ\n folder'));
    for (const [i, name] of hostile.entries()) await writeFile(join(f.notebooks, 'BTREQ\n folder', name), `here ${i}`);
    for (const [i, name] of hostile.entries()) await writeFile(join(f.notebooks, name), `here ${i}`);
    // The same names made in the session, in a folder of their own.
    await f.remote(`python3 -c 'import os, sys
os.mkdir("from session")
for i, name in enumerate(sys.argv[1:]):
    open(os.path.join("from session", name), "w").write("there %d" % i)' "$@"`, ...hostile);
    // A file over the listing's hashing size on both sides, with one of the names: only a hash
    // request can tell the two are the same (no conflict copy).
    await writeFile(join(f.notebooks, 'line\nbreak.bin'), Buffer.from(Array.from({ length: 5 * 1024 * 1024 }, (_, i) => i % 256)));
    await f.remote(`python3 -c 'open("line\\nbreak.bin", "wb").write(bytes(range(256)) * 20480)'`);
    expect(await sync()).toMatchObject({ uploaded: 2 * hostile.length, downloaded: hostile.length, deleted: 0, conflicts: [], refused: [] });

    const expected = [...hostile.map((x) => x), ...hostile.map((x) => `BTREQ\n folder/${x}`), ...hostile.map((x) => `from session/${x}`), 'line\nbreak.bin'].sort();
    expect(await volumeFiles()).toEqual(expected);
    expect((await localList(f.notebooks)).filter((l) => l.startsWith('f ')).map((l) => l.slice(2))).toEqual(expected);
    for (const [i, name] of hostile.entries()) {
      expect((await f.readRemote(name)).toString()).toBe(`here ${i}`);
      expect(await readFile(join(f.notebooks, 'from session', name), 'utf8')).toBe(`there ${i}`);
    }
    expect(await f.remote('find / -xdev -name "pwned*" 2>/dev/null || true')).toBe('');
    expect(existsSync(join(f.notebooks, 'pwned')) || existsSync(join(f.dir, 'pwned'))).toBe(false);
    expect(await sync()).toMatchObject({ uploaded: 0, downloaded: 0, deleted: 0, conflicts: [] });
  });
});
