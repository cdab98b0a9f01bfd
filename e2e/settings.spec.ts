import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { testEnv } from '../test/support/env';
import { expect, test } from './support/app';

const openSettings = (page: Page) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();

const settingsFile = (home: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8')) as Record<string, unknown>;

test('theme and idle stop are saved, shown again after a reload, and written to the settings file', async ({ launch }) => {
  const app = await launch();
  const { page } = app;
  await openSettings(page);
  await expect(page.getByRole('radio', { name: 'Same as the system' })).toBeChecked();

  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByLabel('Idle stop (minutes, 0 = never)').fill('45');
  // The Sessions form's Save (Settings has other forms with their own Save).
  const sessionsForm = page.getByRole('form', { name: 'Sessions' });
  await sessionsForm.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(sessionsForm.getByText('Saved.')).toBeVisible();

  await page.reload();
  await openSettings(page);
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await expect(page.getByLabel('Idle stop (minutes, 0 = never)')).toHaveValue('45');
  await expect(page.getByLabel('Default target')).toHaveValue('local');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(settingsFile(app.home)).toMatchObject({ theme: 'dark', idleMinutes: 45, defaultTarget: 'local' });

  await page.getByRole('radio', { name: 'Light' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(settingsFile(app.home)).toMatchObject({ theme: 'light' });
});

test('a registry login is kept with a write-only password that never reaches the settings file in plain text', async ({ launch }) => {
  test.skip(test.info().project.name !== 'bridge', 'Linux CI has no keyring, so the Electron app rightly refuses to keep passwords.');
  const app = await launch();
  const { page } = app;
  // The password registry's real login: saving signs in with it first.
  const { username, password } = testEnv().authRegistry;
  await openSettings(page);
  const form = page.getByRole('form', { name: 'Add a registry login' });
  await form.getByLabel('Registry').fill('127.0.0.1:5001');
  await form.getByLabel('User name').fill(username);
  await form.getByLabel('Password or token').fill(password);
  await form.getByRole('button', { name: 'Sign in and save' }).click();

  const saved = page.getByRole('table', { name: 'Saved registry logins' });
  await expect(saved.getByRole('row', { name: /127\.0\.0\.1:5001/ })).toContainText(username);
  await expect(form.getByLabel('Password or token')).toHaveValue('');
  expect(readFileSync(join(app.home, 'settings.json'), 'utf8')).not.toContain(password);

  await page.reload();
  await openSettings(page);
  await expect(saved.getByRole('row', { name: /127\.0\.0\.1:5001/ })).toContainText('stored encrypted');
  await expect(page.getByLabel('Password or token')).toHaveValue('');

  await page.getByRole('button', { name: 'Remove login for 127.0.0.1:5001' }).click();
  await page.getByRole('dialog', { name: 'Remove the login for 127.0.0.1:5001?' }).getByRole('button', { name: 'Remove login' }).click();
  await expect(saved).toHaveCount(0);
  expect(settingsFile(app.home)).toMatchObject({ registryCredentials: [] });
});
