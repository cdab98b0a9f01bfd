import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
    const extraVolumes: string[] = [];
    beforeAll(async () => {
      const env = testEnv();
      ({ fx, target } = await sshHostFixture(`${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`));
    });
    afterAll(async () => {
      const info = await fx.core.projects.read(dir);
      for (const volume of [notebooksVolumeName(info.dir, info.name), ...extraVolumes]) await (await fx.core.engines.docker(target)).getVolume(volume).remove().catch(() => undefined);
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

    it('asks for --yes before a bulk deletion, keeps what it deletes, and `sync restore` lists and brings it back', async () => {
      const env = { BENCHTOP_HOME: join(fx.dir, 'settings'), HOME: fx.dir, BENCHTOP_KNOWN_HOSTS: fx.knownHosts, BENCHTOP_SSH_CONFIG: fx.sshConfig, SSH_AUTH_SOCK: '' };
      const notebooks = join(dir, 'notebooks');
      for (let i = 0; i < 8; i += 1) await writeFile(join(notebooks, `nb-${i}.ipynb`), `{"n": ${i}}`);
      expect((await benchtop(['sync', dir, '--target', target], env)).code).toBe(0);
      for (let i = 0; i < 7; i += 1) await rm(join(notebooks, `nb-${i}.ipynb`));

      const refused = await benchtop(['sync', dir, '--target', target], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^error\[SYNC_MASS_DELETE\]: This sync would delete 7 files in the volume on .+ \("nb-0\.ipynb", .*"nb-6\.ipynb"\)\. Nothing was synced or deleted\./m);
      expect(refused.stderr).toMatch(/hint: .*--yes/);
      const confirmed = await benchtop(['sync', dir, '--target', target, '--yes'], env);
      expect(confirmed.code).toBe(0);
      expect(confirmed.stdout).toMatch(/Deleted:\s+7/);

      const listed = await benchtop(['sync', 'restore', '--list', '--project', dir, '--target', target, '--json'], env);
      expect(listed.code).toBe(0);
      const entries = JSON.parse(listed.stdout) as { where: string; kind: string; path: string }[];
      expect(entries.filter((e) => e.where === target && e.kind === 'deleted').map((e) => e.path).sort()).toEqual(Array.from({ length: 7 }, (_, i) => `nb-${i}.ipynb`));
      const table = await benchtop(['sync', 'restore', '--list', '--project', dir, '--target', target], env);
      expect(table.stdout).toMatch(/REMOVED\s+WHERE\s+HOW\s+SIZE\s+PATH/);

      const restored = await benchtop(['sync', 'restore', 'nb-3.ipynb', '--project', dir, '--target', target], env);
      expect(restored.code).toBe(0);
      expect(restored.stdout).toMatch(/^Restored nb-3\.ipynb \(deleted .+, kept on .+\)\.\nThe next sync with .+ carries it there\./);
      expect(await readFile(join(notebooks, 'nb-3.ipynb'), 'utf8')).toBe('{"n": 3}');
      const missing = await benchtop(['sync', 'restore', 'never-there.ipynb', '--project', dir, '--target', target], env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^error\[TRASH_NOT_FOUND\]: No removed version of "never-there\.ipynb"/);
        }, 300_000);

    it('stops on a missing notebooks folder (SYNC_ROOT_MISSING) and adopts a fresh volume without deleting anything here', async () => {
      const env = { BENCHTOP_HOME: join(fx.dir, 'settings'), HOME: fx.dir, BENCHTOP_KNOWN_HOSTS: fx.knownHosts, BENCHTOP_SSH_CONFIG: fx.sshConfig, SSH_AUTH_SOCK: '' };
      const notebooks = join(dir, 'notebooks');
      await rename(notebooks, `${notebooks}.away`);
      const missing = await benchtop(['sync', dir, '--target', target, '--yes'], env);
      await rename(`${notebooks}.away`, notebooks);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^error\[SYNC_ROOT_MISSING\]: The notebooks folder .+ is missing, while the last sync with .+ saw \d+ files? in it\./m);

      const before = await readdir(notebooks);
      const adopted = await benchtop(['sync', dir, '--target', target, '--adopt', 'new', '--json'], env);
      expect(adopted.code).toBe(0);
      const result = JSON.parse(adopted.stdout) as { uploaded: number; deleted: number; volume: string };
      expect(result).toMatchObject({ uploaded: before.length, deleted: 0 });
      expect(result.volume).toMatch(/^benchtop-bt-test-cli-sync-[0-9a-f]{10}-[0-9a-f]{6}-notebooks$/);
      extraVolumes.push(result.volume);
      expect((await readdir(notebooks)).sort()).toEqual(before.sort());
        }, 120_000);
  });
});
