import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { sshHostEnv } from '../test/support/ssh-host';
import { expect, test, type AppHandle } from './support/app';
import { removeSessionsOf } from './support/bridge-call';
import { tabTo } from './support/keyboard';
import { waitForNotebook } from './support/start-flow';

let project: FixtureProject | undefined;
let app: AppHandle | undefined;
let sshDir: string | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  await project?.cleanup();
  if (sshDir) rmSync(sshDir, { recursive: true, force: true });
});

// Issue 16, keyboard-only: host add and trust, then move, with Tab, Enter, arrows and Escape alone,
// asserting where focus is after each step (keyboard.spec.ts covers start, stop and settings).
test('keyboard only: add and trust a host, then move a session to it', async ({ launch }) => {
  test.setTimeout(600_000);
  const host = sshHostEnv();
  sshDir = mkdtempSync(join(tmpdir(), 'bt-e2e-ssh-'));
  project = await makeProject();
  app = await launch({ project: project.dir, env: { BENCHTOP_KNOWN_HOSTS: join(sshDir, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(sshDir, 'config') } });
  const { page } = app;
  const nav = page.getByRole('navigation', { name: 'Main' });

  // Hosts: the heading takes focus; the form is filled and sent by keyboard.
  await tabTo(page, nav.getByRole('button', { name: 'Hosts' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Hosts' })).toBeFocused();
  const form = page.getByRole('form', { name: 'Add a host' });
  await tabTo(page, form.getByLabel('SSH host'));
  await page.keyboard.type(`${host.user}@${host.host}:${host.port}`);
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Identity file (optional)')).toBeFocused();
  await page.keyboard.type(host.identityFile);
  await page.keyboard.press('Tab');
  await page.keyboard.type(host.dockerSocket);
  await page.keyboard.press('Tab');
  const addButton = form.getByRole('button', { name: 'Add host' });
  await expect(addButton).toBeFocused();
  await page.keyboard.press('Enter');

  // Trust: Escape first (nothing added, focus back on Add host), then Trust and add by Tab and Enter.
  const trust = page.getByRole('dialog', { name: 'Trust this host?' });
  await expect(trust.getByTestId('host-fingerprint')).toHaveText(host.hostKeyFingerprint, { timeout: 30_000 });
  await page.keyboard.press('Escape');
  await expect(trust).toBeHidden();
  await expect(addButton).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(trust.getByTestId('host-fingerprint')).toHaveText(host.hostKeyFingerprint, { timeout: 30_000 });
  await tabTo(page, trust.getByRole('button', { name: 'Trust and add' }), 10);
  await page.keyboard.press('Enter');
  const hostCard = page.getByRole('listitem', { name: /^Host / });
  await expect(hostCard).toHaveCount(1, { timeout: 60_000 });
  await expect(trust).toBeHidden();
  // The result takes focus: the list with the new host (the emptied form's Add host is disabled).
  await expect(page.getByRole('list', { name: 'Hosts' })).toBeFocused();
  const hostId = ((await hostCard.getAttribute('aria-label')) ?? '').replace(/^Host /, '');

  // Start by keyboard.
  await tabTo(page, nav.getByRole('button', { name: 'Welcome' }), 80);
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Open project folder…' }));
  await page.keyboard.press('Enter');
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await expect(start).toBeFocused();
  await page.keyboard.press('Enter');
  await waitForNotebook(page, 300_000);

  // Move: the dialog opens on Enter, the target is chosen with an arrow key, Move by Tab and Enter;
  // focus lands on the session where it runs now.
  await tabTo(page, nav.getByRole('button', { name: 'Sessions' }), 80);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'Move basic-analysis on local' }));
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Move basic-analysis' });
  const select = dialog.getByLabel('Move to');
  await expect(select.locator('option', { hasText: hostId })).toHaveCount(1);
  await tabTo(page, select, 10);
  await page.keyboard.press('ArrowDown');
  await expect(select).toHaveValue(hostId);
  await tabTo(page, dialog.getByRole('button', { name: 'Move', exact: true }), 10);
  await page.keyboard.press('Enter');
  await expect(dialog.or(page.getByRole('alert')).first()).toBeHidden({ timeout: 400_000 });
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);
  const remote = page.getByRole('listitem', { name: `basic-analysis on ${hostId}`, exact: true });
  await expect(remote).toContainText('ready');
  await expect(remote.getByRole('button', { name: `Open basic-analysis on ${hostId}`, exact: true })).toBeFocused();
});
