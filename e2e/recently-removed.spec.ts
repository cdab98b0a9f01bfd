import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../src/main/core/core';
import { openConfSettings } from '../src/main/core/settings/conf-store';
import { execOk } from '../src/main/core/sync/container-exec';
import { startSyncHelper } from '../src/main/core/sync/volume';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { testEnv } from '../test/support/env';
import { sshHostEnv } from '../test/support/ssh-host';
import { expect, test, type AppHandle } from './support/app';
import { shootBothThemes } from './support/screenshots';

let project: FixtureProject | undefined;
let app: AppHandle | undefined;
let core: Core | undefined;
let sshDir: string | undefined;
let cleanupVolume: (() => Promise<void>) | undefined;

test.afterEach(async () => {
  await cleanupVolume?.().catch(() => undefined); // already gone when setup failed early
  await core?.close();
  await project?.cleanup();
  if (sshDir) rmSync(sshDir, { recursive: true, force: true });
  core = undefined;
  project = undefined;
  app = undefined;
});

test('a notebook deleted on the host shows in "Recently removed" on the Project screen and comes back with one click', async ({ launch }) => {
  test.skip(!existsSync(new URL('../.test-env/ssh-host.json', import.meta.url)), 'needs the SSH test host');
  test.setTimeout(300_000);
  const ssh = sshHostEnv();
  const env = testEnv();
  project = await makeProject();
  app = await launch({ project: project.dir });
  const { page } = app;

  // Setup, as another Benchtop process of the same install would do it (`benchtop sync` in a
  // terminal): the notebook goes up to the host's volume, is deleted there, and the next sync
  // brings the deletion home — keeping the notebook in this computer's trash.
  sshDir = mkdtempSync(join(tmpdir(), 'bt-e2e-ssh-'));
  writeFileSync(join(sshDir, 'known_hosts'), `${ssh.knownHostsLine}\n`);
  writeFileSync(join(sshDir, 'config'), '');
  core = new Core({ settings: openConfSettings(app.home), shell: 'cli', env: { ...process.env, HOME: sshDir, BENCHTOP_KNOWN_HOSTS: join(sshDir, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(sshDir, 'config'), SSH_AUTH_SOCK: '' } });
  const added = await core.hosts.add({ spec: `${ssh.user}@${ssh.host}:${ssh.port}`, identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket });
  if (added.status !== 'added') throw new Error(`the SSH test host was not added: ${added.status}`);
  const target = added.host.id;
  const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
  await core.sessions.pulls.pull(target, image, core.ops.create('bt-e2e-pull'));
  const info = await core.projects.read(project.dir);
  const notebook = 'to be deleted on the host.ipynb';
  await writeFile(join(info.notebooksDir, notebook), '{"cells": ["precious"]}');
  expect((await core.sync.sync(core.ops.create('e2e-up'), { projectDir: info.dir, target, image })).uploaded).toBeGreaterThan(0);
  const volume = (await core.sync.recordedVolume(info.dir, target))?.name as string;
  const docker = await core.engines.docker(target);
  cleanupVolume = async () => docker.getVolume(volume).remove();
  const helper = await startSyncHelper(docker, image, volume, info.dir);
  try {
    await execOk(helper, ['rm', '--', `/home/analyst/work/${notebook}`], 'delete on the host', undefined, '1000:1000');
  } finally {
    await helper.remove({ force: true });
  }
  expect(await core.sync.sync(core.ops.create('e2e-down'), { projectDir: info.dir, target, image })).toMatchObject({ deleted: 1 });
  expect(existsSync(join(info.notebooksDir, notebook))).toBe(false);

  // What the user sees: the Project screen lists it, one click brings it back.
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'basic-analysis' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Project' }).click();
  const table = page.getByRole('table', { name: 'Recently removed notebooks' });
  const row = table.getByRole('row').filter({ hasText: notebook });
  await expect(row).toContainText('deleted');
  await expect(row).toContainText('this computer');
  await shootBothThemes(page, 'project-recently-removed');
  await row.getByRole('button', { name: `Restore ${notebook}` }).click();
  await expect(row).toHaveCount(0);
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);
  expect(await readFile(join(info.notebooksDir, notebook), 'utf8')).toBe('{"cells": ["precious"]}');
});
