import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshHostEnv } from '../../test/support/ssh-host';
import { expect, test } from '../support/app';

let sshDir: string | undefined;

test.afterEach(() => {
  if (sshDir) rmSync(sshDir, { recursive: true, force: true });
});

// Dead end 2: a host whose key was trusted but whose sign-in failed is stored. It shows at once, says
// it needs attention, and "Edit and add again" lets the corrected form add it (no HOST_EXISTS).
test('a failed host add is shown at once, and Edit and add again with the right key adds it', async ({ launch }) => {
  const host = sshHostEnv();
  sshDir = mkdtempSync(join(tmpdir(), 'bt-e2e-ssh-'));
  const wrongKey = join(sshDir, 'bt-test-wrong-key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
  const { page } = await launch({ env: { BENCHTOP_KNOWN_HOSTS: join(sshDir, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(sshDir, 'config') } });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Hosts' }).click();

  const form = page.getByRole('form', { name: 'Add a host' });
  await form.getByLabel('SSH host').fill(`${host.user}@${host.host}:${host.port}`);
  await form.getByLabel('Identity file (optional)').fill(wrongKey);
  await form.getByLabel('Engine socket (optional)').fill(host.dockerSocket);
  await form.getByRole('button', { name: 'Add host' }).click();
  const trust = page.getByRole('dialog', { name: 'Trust this host?' });
  await trust.getByRole('button', { name: 'Trust and add' }).click({ timeout: 30_000 });
  await expect(trust.getByTestId('error-code')).toHaveText('HOST_AUTH_FAILED', { timeout: 60_000 });
  await trust.getByRole('button', { name: 'Cancel' }).click();

  // Shown at once: the card, and what to do about it.
  const card = page.getByRole('listitem', { name: /^Host / });
  await expect(card).toHaveCount(1);
  await expect(page.getByText('No hosts yet. Add a shared GPU machine above.')).toBeHidden();
  const attention = page.getByRole('status', { name: /needs attention$/ });
  await expect(attention).toBeVisible();

  await form.getByLabel('Identity file (optional)').fill(host.identityFile);
  await attention.getByRole('button', { name: 'Edit and add again' }).click();
  await expect(form.getByLabel('SSH host')).toBeFocused();
  await expect(card).toHaveCount(0);
  await form.getByRole('button', { name: 'Add host' }).click();
  await expect(card).toHaveCount(1, { timeout: 60_000 });
  await expect(card.getByText('ok', { exact: true })).toBeVisible();
  await expect(attention).toBeHidden();

  await card.getByRole('button', { name: /^Remove / }).click();
  await page.getByRole('dialog', { name: /^Remove host / }).getByRole('button', { name: 'Remove host' }).click();
  await expect(card).toHaveCount(0);
});
