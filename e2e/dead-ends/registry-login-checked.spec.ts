import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { testEnv } from '../../test/support/env';
import { expect, test } from '../support/app';
import { shootBothThemes } from '../support/screenshots';

let relay: Server | undefined;
const sockets = new Set<Socket>();

test.beforeEach(() => {
  test.skip(test.info().project.name !== 'bridge', 'Linux CI has no keyring, so the Electron app rightly refuses to keep passwords.');
});

test.afterEach(async () => {
  for (const s of sockets) s.destroy();
  if (relay?.listening) {
    relay.close();
    await once(relay, 'close');
  }
  relay = undefined;
});

/** A loopback port that nothing listens on yet (taken and given back at once). */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

/** The password registry "comes back" on `port`: a plain TCP relay to it. */
async function relayTo(port: number, target: string): Promise<void> {
  const [host, targetPort] = target.split(':');
  relay = createServer((client) => {
    const upstream = connect(Number(targetPort), host);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }).listen(port, '127.0.0.1');
  await once(relay, 'listening');
}

// Dead end 9: a wrong password was saved unchecked and surfaced only at the next pull. Now saving
// signs in first: the refusal shows where it was typed, nothing is saved, and the fixed password saves.
test('a wrong registry password is refused inline and not saved; the right one signs in and is saved', async ({ launch }) => {
  const { authRegistry } = testEnv();
  const { page } = await launch();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const form = page.getByRole('form', { name: 'Add a registry login' });
  await form.getByLabel('Registry').fill(authRegistry.address);
  await form.getByLabel('User name').fill(authRegistry.username);
  await form.getByLabel('Password or token').fill('not-the-password');
  await form.getByRole('button', { name: 'Sign in and save' }).click();

  const problem = page.getByRole('alert', { name: 'Error REGISTRY_AUTH_FAILED' });
  await expect(problem).toBeVisible();
  await expect(problem.getByTestId('error-message')).toContainText(`refused the login of ${authRegistry.username}`);
  await expect(problem.getByTestId('error-message')).toContainText('not saved');
  await expect(page.getByRole('table', { name: 'Saved registry logins' })).toHaveCount(0);
  // What was typed stays, to correct.
  await expect(form.getByLabel('Registry')).toHaveValue(authRegistry.address);
  await expect(form.getByLabel('User name')).toHaveValue(authRegistry.username);
  await shootBothThemes(page, 'settings-login-refused');

  await form.getByLabel('Password or token').fill(authRegistry.password);
  await form.getByRole('button', { name: 'Sign in and save' }).click();
  await expect(page.getByRole('status', { name: 'Registry login result' })).toHaveText(`Signed in to ${authRegistry.address} as ${authRegistry.username}. The login is saved.`);
  await expect(problem).toBeHidden();
  const row = page.getByRole('table', { name: 'Saved registry logins' }).getByRole('row', { name: `Login for ${authRegistry.address}` });
  await expect(row).toContainText('signed in');
  await expect(form.getByLabel('Password or token')).toHaveValue('');
  // The button kept focus through "Signing in…" (aria-disabled while busy, not disabled).
  await expect(form.getByRole('button', { name: 'Sign in and save' })).toBeFocused();
});

// A registry out of reach (VPN off) is no dead end either: save it unchecked, shown as needing
// attention, and Check signs in once it answers.
test('a registry out of reach can be saved unchecked; Check signs in once it answers', async ({ launch }) => {
  const { authRegistry } = testEnv();
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const { page } = await launch();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const form = page.getByRole('form', { name: 'Add a registry login' });
  await form.getByLabel('Registry').fill(address);
  await form.getByLabel('User name').fill(authRegistry.username);
  await form.getByLabel('Password or token').fill(authRegistry.password);
  await form.getByRole('button', { name: 'Sign in and save' }).click();
  await expect(page.getByRole('alert', { name: 'Error REGISTRY_UNREACHABLE' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Saved registry logins' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Save without checking' }).click();
  const row = page.getByRole('table', { name: 'Saved registry logins' }).getByRole('row', { name: `Login for ${address}` });
  await expect(row).toContainText('needs attention');
  await expect(page.getByRole('status', { name: 'Registry login result' })).toContainText('Saved without signing in');
  await shootBothThemes(page, 'settings-login-unchecked');

  await relayTo(port, authRegistry.address);
  await row.getByRole('button', { name: `Check login for ${address}` }).click();
  await expect(row).toContainText('signed in');
  await expect(row.getByRole('button', { name: `Check login for ${address}` })).toHaveCount(0);
  await expect(page.getByRole('status', { name: 'Registry login result' })).toHaveText(`Checked the login for ${address}: signed in.`);
});
