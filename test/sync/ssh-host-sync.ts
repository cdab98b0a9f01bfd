import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { testEnv } from '../support/env';
import { syncFixture, type SyncFixture } from './support';

/** True when the SSH test host is set up (scripts/test-env.sh): the SSH-host sync files skip otherwise. */
export const sshHostReady = existsSync(new URL('../../.test-env/ssh-host.json', import.meta.url)) && existsSync(new URL('../../.test-env/env.json', import.meta.url));

export interface SshHostSync {
  /** A Core with the SSH test host added, for the whole file. */
  readonly fx: HostsFixture;
  readonly target: string;
  /** The analysis image pinned by digest. */
  readonly image: string;
  /** This test's project (after `fixture()`). */
  readonly f: SyncFixture;
  /** Makes this test's project and volume on the host; removed after the test. */
  fixture(): Promise<SyncFixture>;
}

/**
 * Call inside a describe: the SSH test host for the whole file and a sync fixture per test, made by
 * `fixture()` and cleaned up after each test (a file's own afterEach hooks run before that cleanup).
 */
export function sshHostSync(): SshHostSync {
  let fx: HostsFixture | undefined;
  let target = '';
  let image = '';
  let f: SyncFixture | undefined;
  beforeAll(async () => {
    const env = testEnv();
    image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
    ({ fx, target } = await sshHostFixture(image));
  });
  afterAll(async () => {
    await fx?.close();
  });
  afterEach(async () => {
    await f?.cleanup();
    f = undefined;
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not made yet`);
    return value;
  };
  return {
    get fx() { return ready(fx, 'the SSH host fixture'); },
    get target() { return target; },
    get image() { return image; },
    get f() { return ready(f, 'the sync fixture (call fixture() first)'); },
    async fixture() {
      f = await syncFixture({ image, core: ready(fx, 'the SSH host fixture').core, target });
      return f;
    },
  };
}
