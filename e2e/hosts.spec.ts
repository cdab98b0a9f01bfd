import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshHostEnv } from '../test/support/ssh-host';
import { expect, test } from './support/app';
import { shootBothThemes } from './support/screenshots';

let sshDir: string | undefined;

test.afterEach(() => {
  if (sshDir) rmSync(sshDir, { recursive: true, force: true });
});

test('adding a host asks to confirm its key fingerprint, then shows its engine; test and remove work', async ({ launch }) => {
  const host = sshHostEnv();
  sshDir = mkdtempSync(join(tmpdir(), 'bt-e2e-ssh-'));
  const knownHosts = join(sshDir, 'known_hosts');
  const app = await launch({ env: { BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: join(sshDir, 'config') } });
  const { page } = app;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Hosts' }).click();
  await expect(page.getByText('No hosts yet. Add a shared GPU machine above.')).toBeVisible();

  const form = page.getByRole('form', { name: 'Add a host' });
  await form.getByLabel('SSH host').fill(`${host.user}@${host.host}:${host.port}`);
  await form.getByLabel('Identity file (optional)').fill(host.identityFile);
  await form.getByLabel('Engine socket (optional)').fill(host.dockerSocket);
  await form.getByRole('button', { name: 'Add host' }).click();

  const dialog = page.getByRole('dialog', { name: 'Trust this host?' });
  await expect(dialog.getByTestId('host-fingerprint')).toHaveText(host.hostKeyFingerprint, { timeout: 30_000 });
  await shootBothThemes(page, 'hosts-trust-dialog');
  await dialog.getByRole('button', { name: 'Trust and add' }).click();
  await expect(dialog).toBeHidden({ timeout: 60_000 });
  expect(readFileSync(knownHosts, 'utf8')).toContain(host.knownHostsLine.split(' ').slice(1).join(' '));

  const card = page.getByRole('listitem', { name: /^Host / });
  await expect(card).toHaveCount(1);
  const testButton = card.getByRole('button', { name: /^Test / });
  await testButton.click();
  await expect(testButton).toHaveText('Test', { timeout: 60_000 });
  await expect(card.getByText('ok', { exact: true })).toBeVisible();
  await expect(card).toContainText(/docker \d+\.\d+/);
  await shootBothThemes(page, 'hosts-added');
  await card.getByRole('button', { name: /^Remove / }).click();
  await page.getByRole('dialog', { name: /^Remove host / }).getByRole('button', { name: 'Remove host' }).click();
  await expect(page.getByText('No hosts yet. Add a shared GPU machine above.')).toBeVisible();
});
