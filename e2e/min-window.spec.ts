import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { sshHostEnv } from '../test/support/ssh-host';
import { expect, test, type AppHandle } from './support/app';
import { removeSessionsOf } from './support/bridge-call';
import { MIN_WINDOW, sidewaysProblems } from './support/layout';
import { shootBothThemes } from './support/screenshots';
import { waitForNotebook } from './support/start-flow';

let project: FixtureProject | undefined;
let app: AppHandle | undefined;
let sshDir: string | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  await project?.cleanup();
  if (sshDir) rmSync(sshDir, { recursive: true, force: true });
});

const go = async (page: Page, screen: string) => {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen }).click();
  await expect(page.getByRole('heading', { level: 1, name: screen })).toBeVisible();
};

// Issue 16, point 8: at the 900x600 minimum window the layout holds on every screen with real content
// (a running session, a host with its key, versions with digests): nothing scrolls sideways, hashes
// are cut with a Copy button instead of wrapping, and the running start step is in view.
// shootBothThemes checks each state at 900x600 and saves it at 1280x800 and 900x600.
test('every screen holds at the 900x600 minimum window, with a session running and a host added', async ({ launch }) => {
  test.setTimeout(480_000);
  const host = sshHostEnv();
  sshDir = mkdtempSync(join(tmpdir(), 'bt-e2e-ssh-'));
  project = await makeProject();
  app = await launch({ project: project.dir, env: { BENCHTOP_KNOWN_HOSTS: join(sshDir, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(sshDir, 'config') } });
  const { page } = app;
  await page.setViewportSize(MIN_WINDOW);

  // Start at the minimum window: the step that runs is on screen, not below the fold.
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const progress = page.getByRole('list', { name: 'Start progress' });
  const running = progress.getByRole('listitem', { name: /: running$/ });
  await expect(running.first()).toBeInViewport({ timeout: 60_000 });
  expect(await sidewaysProblems(page)).toEqual([]);
  const done = await waitForNotebook(page, 300_000);
  await expect(done).toBeInViewport();
  await shootBothThemes(page, 'min-welcome-started');

  await go(page, 'Sessions');
  const card = page.getByRole('listitem', { name: 'basic-analysis on local' });
  await expect(card.getByRole('figure', { name: /^Usage of / })).toBeVisible();
  await shootBothThemes(page, 'min-sessions');

  await go(page, 'Project');
  const digest = page.getByRole('button', { name: 'Copy digest' });
  await expect(digest).toBeVisible();
  await shootBothThemes(page, 'min-project');

  await go(page, 'Images');
  await expect(page.getByRole('table', { name: 'Image versions' }).getByRole('button', { name: /^Copy digest of / }).first()).toBeVisible();
  await shootBothThemes(page, 'min-images');

  await go(page, 'Hosts');
  const form = page.getByRole('form', { name: 'Add a host' });
  await form.getByLabel('SSH host').fill(`${host.user}@${host.host}:${host.port}`);
  await form.getByLabel('Identity file (optional)').fill(host.identityFile);
  await form.getByLabel('Engine socket (optional)').fill(host.dockerSocket);
  await form.getByRole('button', { name: 'Add host' }).click();
  const trust = page.getByRole('dialog', { name: 'Trust this host?' });
  await expect(trust.getByTestId('host-fingerprint')).toHaveText(host.hostKeyFingerprint, { timeout: 30_000 });
  await trust.getByRole('button', { name: 'Trust and add' }).click();
  const hostCard = page.getByRole('listitem', { name: /^Host / });
  await expect(hostCard).toHaveCount(1, { timeout: 60_000 });
  await expect(hostCard.getByRole('button', { name: /^Copy host key fingerprint of / })).toBeVisible();
  await shootBothThemes(page, 'min-hosts');
  await hostCard.getByRole('button', { name: /^Remove / }).click();
  await page.getByRole('dialog', { name: /^Remove host / }).getByRole('button', { name: 'Remove host' }).click();
  await expect(hostCard).toHaveCount(0);

  await go(page, 'Settings');
  await shootBothThemes(page, 'min-settings');
});
