import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notebooksVolumeName } from '../src/main/core/sync/volume';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { sshHostEnv } from '../test/support/ssh-host';
import { expect, test, type AppHandle } from './support/app';
import { callBridge, removeSessionsOf } from './support/bridge-call';
import { shootBothThemes } from './support/screenshots';
import { waitForNotebook } from './support/start-flow';

let project: FixtureProject | undefined;
let app: AppHandle | undefined;
let sshDir: string | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  if (project) {
    // The notebooks volume the move made on the host's engine (this test's, by its project folder).
    const volume = notebooksVolumeName(project.dir, 'basic-analysis');
    try {
      execFileSync('docker', ['-H', `unix://${sshHostEnv().dockerSocket}`, 'volume', 'rm', volume], { stdio: 'ignore' });
    } catch {
      // not created (the move failed early) or already gone
    }
  }
  await project?.cleanup();
  if (sshDir) rmSync(sshDir, { recursive: true, force: true });
});

test('a running session moves to the SSH host from the Sessions screen, notebooks included', async ({ launch }) => {
  test.setTimeout(480_000);
  const ssh = sshHostEnv();
  sshDir = mkdtempSync(join(tmpdir(), 'bt-e2e-ssh-'));
  const knownHosts = join(sshDir, 'known_hosts');
  writeFileSync(knownHosts, `${ssh.knownHostsLine}\n`);
  project = await makeProject();
  app = await launch({ project: project.dir, env: { BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: join(sshDir, 'config') } });
  const { page } = app;
  const nav = page.getByRole('navigation', { name: 'Main' });

  // The host is already in known_hosts, so it is added without asking.
  await nav.getByRole('button', { name: 'Hosts' }).click();
  const form = page.getByRole('form', { name: 'Add a host' });
  await form.getByLabel('SSH host').fill(`${ssh.user}@${ssh.host}:${ssh.port}`);
  await form.getByLabel('Identity file (optional)').fill(ssh.identityFile);
  await form.getByLabel('Engine socket (optional)').fill(ssh.dockerSocket);
  await form.getByRole('button', { name: 'Add host' }).click();
  const hostCard = page.getByRole('listitem', { name: /^Host / });
  await expect(hostCard).toHaveCount(1, { timeout: 60_000 });
  const hostId = ((await hostCard.getAttribute('aria-label')) ?? '').replace(/^Host /, '');

  await nav.getByRole('button', { name: 'Welcome' }).click();
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForNotebook(page, 240_000);

  await nav.getByRole('button', { name: 'Sessions' }).click();
  // Other tests may run sessions of the same fixture: this one is told apart by its folder.
  const dir = project.dir;
  const local = page.getByRole('listitem', { name: 'basic-analysis on local' }).filter({ hasText: dir });
  await local.getByRole('button', { name: 'Move basic-analysis on local' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move basic-analysis' });
  await dialog.getByLabel('Move to').selectOption(hostId);
  await dialog.getByRole('button', { name: 'Move', exact: true }).click();
  await expect(dialog.getByRole('status')).not.toHaveText('Preparing…', { timeout: 60_000 });
  await shootBothThemes(page, 'sessions-moving');
  await expect(dialog.or(page.getByRole('alert')).first()).toBeHidden({ timeout: 400_000 });
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);

  const remote = page.getByRole('listitem', { name: `basic-analysis on ${hostId}` }).filter({ hasText: dir });
  await expect(remote).toContainText('ready');
  await expect(local).toContainText('stopped');

  // Jupyter on the host shows the project's notebook that was on this computer.
  const moved = (await callBridge(app, 'sessionList')).find((s) => s.projectDir === project?.dir && s.target === hostId);
  const url = new URL(moved?.url ?? '');
  const listing = await fetch(new URL('/api/contents/', url), { headers: { authorization: `token ${url.searchParams.get('token')}` } });
  const names = ((await listing.json()) as { content: { name: string }[] }).content.map((c) => c.name);
  expect(names).toContain('hello.ipynb');
});
