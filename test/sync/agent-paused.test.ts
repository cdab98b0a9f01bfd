import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchtopError } from '../../src/main/core/errors';
import { type SyncFixture } from './support';
import { sshHostReady, sshHostSync } from './ssh-host-sync';


/**
 * The sync's helper kept open in the session container (sync-agent.ts) freezes with it when the
 * container is paused: it neither reads nor answers. Against the SSH test host: the sync says so
 * instead of waiting for ever, and syncs again once the container runs.
 */
describe.skipIf(!sshHostReady)('the sync helper in a paused session container (SSH host)', () => {
  const host = sshHostSync();
  let f: SyncFixture;
  afterEach(async () => {
    await (await f?.session())?.unpause().catch(() => undefined);
  });

  it('fails the sync with SYNC_FAILED naming the pause (both sides intact), and the next sync after it runs again goes through', async () => {
    f = await host.fixture();
    const session = await f.session();
    const sync = (opId: string) => f.core.sync.sync(f.core.ops.create(opId), { projectDir: f.dir, target: f.target, containerId: session.id, image: f.image });
    await writeFile(join(f.notebooks, 'a.ipynb'), 'one');
    expect(await sync('before-pause')).toMatchObject({ uploaded: 1 });

    await session.pause();
    await writeFile(join(f.notebooks, 'b.ipynb'), 'written while paused');
    const failed = await sync('paused').then(() => undefined, (e: BenchtopError) => e);
    expect(failed?.code).toBe('SYNC_FAILED');
    expect(failed?.message).toMatch(/stopped: .*paused.*Both sides are intact\.$/s);

    await session.unpause();
    expect(await sync('after-pause')).toMatchObject({ uploaded: 1, downloaded: 0, deleted: 0, conflicts: [] });
    expect((await f.readRemote('b.ipynb')).toString()).toBe('written while paused');
    expect((await f.readRemote('a.ipynb')).toString()).toBe('one');
  });
});
