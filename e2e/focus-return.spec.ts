import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { sshHostEnv } from '../test/support/ssh-host';
import { expect, test, type AppHandle } from './support/app';
import { removeSessionsOf } from './support/bridge-call';
import { waitForNotebook } from './support/start-flow';

let sshDir: string | undefined;
let project: FixtureProject | undefined;
let app: AppHandle | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  await project?.cleanup();
  project = undefined;
  app = undefined;
  if (sshDir) rmSync(sshDir, { recursive: true, force: true });
  sshDir = undefined;
});

// Issue 16, points 7 and 10: the Hosts form keeps what was typed across screens; cancelling the trust
// dialog gives focus back to Add host; removing a host leaves focus on what remains, never the body.
test('Hosts: the form survives leaving the screen; trust Cancel and host removal put focus back', async ({ launch }) => {
  const host = sshHostEnv();
  sshDir = mkdtempSync(join(tmpdir(), 'bt-e2e-ssh-'));
  app = await launch({ env: { BENCHTOP_KNOWN_HOSTS: join(sshDir, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(sshDir, 'config') } });
  const { page } = app;
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Hosts' }).click();
  const form = page.getByRole('form', { name: 'Add a host' });
  await form.getByLabel('SSH host').fill(`${host.user}@${host.host}:${host.port}`);
  await form.getByLabel('Identity file (optional)').fill(host.identityFile);
  await form.getByLabel('Engine socket (optional)').fill(host.dockerSocket);

  // Away (to look something up) and back: nothing typed is lost.
  await nav.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();
  await nav.getByRole('button', { name: 'Hosts' }).click();
  await expect(page).toHaveTitle('Hosts · Benchtop');
  await expect(form.getByLabel('SSH host')).toHaveValue(`${host.user}@${host.host}:${host.port}`);
  await expect(form.getByLabel('Identity file (optional)')).toHaveValue(host.identityFile);
  await expect(form.getByLabel('Engine socket (optional)')).toHaveValue(host.dockerSocket);

  // Cancel the trust question: focus goes back to the button that asked it.
  const addButton = form.getByRole('button', { name: 'Add host' });
  await addButton.click();
  const trust = page.getByRole('dialog', { name: 'Trust this host?' });
  await expect(trust.getByTestId('host-fingerprint')).toContainText('SHA256:', { timeout: 30_000 });
  await trust.getByRole('button', { name: 'Cancel' }).click();
  await expect(trust).toBeHidden();
  await expect(addButton).toBeFocused();
  await expect(page.getByRole('listitem', { name: /^Host / })).toHaveCount(0);

  // Escape works the same way.
  await page.keyboard.press('Enter');
  await expect(trust.getByTestId('host-fingerprint')).toContainText('SHA256:', { timeout: 30_000 });
  await page.keyboard.press('Escape');
  await expect(trust).toBeHidden();
  await expect(addButton).toBeFocused();

  // Added for real; the form empties (its draft is used up).
  await addButton.click();
  await trust.getByRole('button', { name: 'Trust and add' }).click({ timeout: 30_000 });
  const card = page.getByRole('listitem', { name: /^Host / });
  await expect(card).toHaveCount(1, { timeout: 60_000 });
  await expect(form.getByLabel('SSH host')).toHaveValue('');

  // Test keeps focus while it runs (aria-disabled, not disabled) and after.
  const testButton = card.getByRole('button', { name: /^Test / });
  await testButton.click();
  await expect(testButton).toHaveText('Test', { timeout: 60_000 });
  await expect(testButton).toBeFocused();

  // Remove: Cancel returns focus to Remove; confirming removes the card and focus lands on the form.
  const remove = card.getByRole('button', { name: /^Remove / });
  await remove.click();
  const confirm = page.getByRole('dialog', { name: /^Remove host / });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(remove).toBeFocused();
  await remove.click();
  await confirm.getByRole('button', { name: 'Remove host' }).click();
  await expect(card).toHaveCount(0);
  await expect(form.getByLabel('SSH host')).toBeFocused();
});

test('Sessions: the logs take focus when opened and give it back to their Logs button when closed', async ({ launch }) => {
  test.setTimeout(420_000);
  project = await makeProject();
  app = await launch({ project: project.dir });
  const { page } = app;
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForNotebook(page, 300_000);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sessions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeFocused();
  await expect(page).toHaveTitle('Sessions · Benchtop');

  const logsButton = page.getByRole('button', { name: 'Logs of basic-analysis on local' });
  await logsButton.click();
  const logs = page.getByRole('region', { name: 'Logs of basic-analysis' });
  await expect(logs.getByRole('log', { name: 'Log lines' })).toBeFocused();
  await logs.getByRole('button', { name: 'Close logs' }).click();
  await expect(logs).toBeHidden();
  await expect(logsButton).toBeFocused();
});
