import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchtopError } from '../../src/main/core/errors';
import { execIn } from '../../src/main/core/sync/container-exec';
import { NOTEBOOKS_ROOT } from '../../src/main/core/sync/remote-tree';
import { sha256, type SyncFixture } from './support';
import { sshHostReady, sshHostSync } from './ssh-host-sync';


/** `uid` of every sync helper process in the container (its command line holds `BTREQ`). */
const HELPERS = 'for p in /proc/[0-9]*; do if grep -aq "BT[R]EQ" "$p/cmdline" 2>/dev/null; then awk \'/^Uid:/ { print $2 }\' "$p/status"; fi; done';

/**
 * The listing's helper runs as root; the steps that write run as the volume's owner in a child it
 * forks, which becomes the owner before it reads anything (remote-agent-script.ts). Against the SSH
 * test host: that child killed in the middle of an upload, and a container that does not let root
 * change user.
 */
describe.skipIf(!sshHostReady)("the sync helper's steps as the volume's owner (SSH host)", () => {
  const host = sshHostSync();
  let f: SyncFixture;
  let n = 0;
  let extra: Docker.Container | undefined;
  afterEach(async () => {
    await extra?.remove({ force: true }).catch(() => undefined);
    extra = undefined;
  });

  const sync = async (container: Docker.Container, opId = `become-${(n += 1)}`) =>
    f.core.sync.sync(f.core.ops.create(opId), { projectDir: f.dir, target: f.target, containerId: container.id, image: f.image });
  const helperUids = async (container: Docker.Container) =>
    (await execIn(container, ['sh', '-c', HELPERS])).stdout.toString().split('\n').filter(Boolean);
  const owners = async (container: Docker.Container) =>
    (await execIn(container, ['sh', '-c', `cd ${NOTEBOOKS_ROOT} && stat -c '%u:%g %n' -- *.ipynb`])).stdout.toString().trim().split('\n');

  it('runs the steps that write in a child that is the owner; that child killed mid-upload fails the sync with both sides intact, and the next one finishes', async () => {
    f = await host.fixture();
    const session = await f.session();
    for (const name of ['nb-0.ipynb', 'nb-1.ipynb']) await writeFile(join(f.notebooks, name), `{"cells": ["${name}"]}`);
    expect(await sync(session)).toMatchObject({ uploaded: 2 });
    // One helper process (root) is kept; the owner's step ran in a child that has exited; what it wrote is the owner's.
    expect(await helperUids(session)).toEqual(['0']);
    expect(await owners(session)).toEqual(['1000:1000 nb-0.ipynb', '1000:1000 nb-1.ipynb']);

    const big = randomBytes(60 * 1024 * 1024);
    await writeFile(join(f.notebooks, 'big.bin'), big);
    await writeFile(join(f.notebooks, 'nb-0.ipynb'), 'edited here');
    await f.remote('printf "edited there" > nb-1.ipynb');
    // Kills only the child that is the owner (the root helper that forked it stays until it sees that).
    const killChild = async () => {
      const out = await execIn(session, ['sh', '-c', 'for p in /proc/[0-9]*; do if grep -aq "BT[R]EQ" "$p/cmdline" 2>/dev/null && ! grep -q "^Uid:[[:space:]]*0[[:space:]]" "$p/status"; then kill -9 "${p#/proc/}" && echo "${p#/proc/}"; fi; done']);
      return out.stdout.toString().split('\n').filter(Boolean).length;
    };
    let killed: Promise<number> | undefined;
    const off = f.core.bus.on('syncProgress', (p) => {
      if (p.opId === 'child-killed' && p.phase === 'uploading' && p.bytesDone > 0) killed ??= killChild();
    });
    const failed = await sync(session, 'child-killed').then(() => undefined, (e: BenchtopError) => e);
    off();
    expect(await killed).toBe(1);
    expect(failed?.code).toBe('SYNC_FAILED');
    expect(failed?.message).toMatch(/the sync helper in the container stopped before it answered.*Both sides are intact\.$/s);
    // Nothing half-done: the volume has its own edit and no part of big.bin; this side has its edit.
    expect((await f.remote('find . -mindepth 1 -type f -not -path "./.benchtop*" -printf "%P\\n"')).split('\n').filter(Boolean).sort()).toEqual(['nb-0.ipynb', 'nb-1.ipynb']);
    expect((await f.readRemote('nb-0.ipynb')).toString()).toBe('{"cells": ["nb-0.ipynb"]}');
    expect((await f.readRemote('nb-1.ipynb')).toString()).toBe('edited there');
    expect(await readFile(join(f.notebooks, 'nb-0.ipynb'), 'utf8')).toBe('edited here');

    expect(await sync(session)).toMatchObject({ uploaded: 2, downloaded: 1, deleted: 0, conflicts: [] });
    expect((await f.remote('sha256sum big.bin')).slice(0, 64)).toBe(sha256(big));
    expect((await f.readRemote('nb-0.ipynb')).toString()).toBe('edited here');
    expect(await readFile(join(f.notebooks, 'nb-1.ipynb'), 'utf8')).toBe('edited there');
    expect(await sync(session)).toMatchObject({ uploaded: 0, downloaded: 0, deleted: 0 });
  });

  it('in a container where root may not change user, the steps that write run in a helper started as the owner', async () => {
    f = await host.fixture();
    // A session of the same volume whose root lacks CAP_SETUID and CAP_SETGID.
    extra = await f.docker.createContainer({
      name: `bt-test-nosetuid-${randomBytes(4).toString('hex')}`, Image: host.image, Entrypoint: ['sleep', 'infinity'], Cmd: [],
      HostConfig: { Mounts: [{ Type: 'volume', Source: f.volume, Target: NOTEBOOKS_ROOT }], NetworkMode: 'none', CapDrop: ['SETUID', 'SETGID'] },
    });
    await extra.start();
    await writeFile(join(f.notebooks, 'a.ipynb'), 'one');
    await f.remote('printf "from the session" > b.ipynb');
    expect(await sync(extra)).toMatchObject({ uploaded: 1, downloaded: 1, conflicts: [] });
    expect((await helperUids(extra)).sort()).toEqual(['0', '1000']);
    expect(await owners(extra)).toEqual(['1000:1000 a.ipynb', '1000:1000 b.ipynb']);
    expect((await f.readRemote('a.ipynb')).toString()).toBe('one');
    expect(await readFile(join(f.notebooks, 'b.ipynb'), 'utf8')).toBe('from the session');
  });
});
