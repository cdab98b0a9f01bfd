import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BenchtopError } from '../../src/main/core/errors';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { testEnv } from '../support/env';
import { syncFixture, type SyncFixture } from './support';

const ready = existsSync(new URL('../../.test-env/ssh-host.json', import.meta.url)) && existsSync(new URL('../../.test-env/env.json', import.meta.url));

/**
 * The sync's helper kept open in the session container (sync-agent.ts) freezes with it when the
 * container is paused: it neither reads nor answers. Against the SSH test host: the sync says so
 * instead of waiting for ever, and syncs again once the container runs.
 */
describe.skipIf(!ready)('the sync helper in a paused session container (SSH host)', () => {
  let fx: HostsFixture;
  let target = '';
  let image = '';
  let f: SyncFixture;

  beforeAll(async () => {
    const env = testEnv();
    image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
    ({ fx, target } = await sshHostFixture(image));
  });
  afterAll(async () => {
    await fx?.close();
  });
  afterEach(async () => {
    await (await f?.session())?.unpause().catch(() => undefined);
    await f?.cleanup();
  });

  it('fails the sync with SYNC_FAILED naming the pause (both sides intact), and the next sync after it runs again goes through', async () => {
    f = await syncFixture({ image, core: fx.core, target });
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
