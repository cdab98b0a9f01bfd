import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebooksVolumeName } from '../../src/main/core/sync/volume';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { testEnv } from '../support/env';
import { runCli } from '../support/cli';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const hostReady = existsSync(join(root, '.test-env/ssh-host.json')) && existsSync(join(root, '.test-env/env.json'));

const benchtop = (args: string[], env: NodeJS.ProcessEnv) => runCli('bundle', args, { env });

describe('benchtop sync and benchtop move', () => {
  let dir: string;
  let home: string;
  beforeAll(async () => {
    await run(process.execPath, [join(root, 'scripts/build-cli.mjs')]);
    home = await mkdtemp(join(tmpdir(), 'bt-test-synccli-home-'));
    dir = await mkdtemp(join(tmpdir(), 'bt-test-synccli-'));
    await mkdir(join(dir, '.devcontainer'));
    await mkdir(join(dir, 'notebooks'));
    await writeFile(join(dir, 'notebooks', 'a.ipynb'), '{}');
    const env = hostReady ? testEnv() : undefined;
    const image = env ? `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}` : 'example/analysis:1';
    await writeFile(join(dir, '.devcontainer', 'devcontainer.json'), JSON.stringify({ name: 'bt-test-cli-sync', image }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  });

  it('asks which host when the project runs nowhere remote', async () => {
    const { code, stderr } = await benchtop(['sync', dir], { BENCHTOP_HOME: home });
    expect(code).toBe(64);
    expect(stderr).toMatch(/^error\[INVALID_ARGUMENT\]: No host to sync .* with/);
    expect(stderr).toMatch(/hint: Name one: `benchtop sync --target HOST`/);
  });

  it('says what is missing for a move', async () => {
    expect(await benchtop(['move'], { BENCHTOP_HOME: home })).toMatchObject({ code: 64, stderr: expect.stringMatching(/error\[INVALID_ARGUMENT\]: Where to\?/) });
    const none = await benchtop(['move', 'gpu-box', dir, '--json'], { BENCHTOP_HOME: home });
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout)).toMatchObject({ error: { code: 'SESSION_NOT_FOUND', message: expect.stringContaining('No running session') } });
  });

  describe.skipIf(!hostReady)('with the SSH host', () => {
    let fx: HostsFixture;
    let target = '';
    beforeAll(async () => {
      const env = testEnv();
      ({ fx, target } = await sshHostFixture(`${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`));
    });
    afterAll(async () => {
      const info = await fx.core.projects.read(dir);
      await (await fx.core.engines.docker(target)).getVolume(notebooksVolumeName(info.dir, info.name)).remove().catch(() => undefined);
      await fx.close();
    });

    it('syncs a project with the host and prints what it moved', async () => {
      const env = { BENCHTOP_HOME: join(fx.dir, 'settings'), HOME: fx.dir, BENCHTOP_KNOWN_HOSTS: fx.knownHosts, BENCHTOP_SSH_CONFIG: fx.sshConfig, SSH_AUTH_SOCK: '' };
      const first = await benchtop(['sync', dir, '--target', target, '--json'], env);
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ uploaded: 1, downloaded: 0, deleted: 0, conflicts: [], volume: expect.stringMatching(/^benchtop-bt-test-cli-sync-[0-9a-f]{10}-notebooks$/) });
      const again = await benchtop(['sync', dir, '--target', target], env);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/Uploaded:\s+0\nDownloaded:\s+0\nDeleted:\s+0/);
    });
  });
});
