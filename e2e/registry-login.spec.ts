import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnv } from '../test/support/env';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test } from './support/app';
import { shootBothThemes } from './support/screenshots';

let project: FixtureProject | undefined;
let dockerConfig: string | undefined;

test.beforeEach(() => {
  test.skip(test.info().project.name !== 'bridge', 'Linux CI has no keyring, so the Electron app rightly refuses to keep the registry password this spec saves.');
});

test.afterEach(async () => {
  await project?.cleanup();
  if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
});

test('the password registry answers REGISTRY_AUTH_FAILED until its login is saved in Settings', async ({ launch }) => {
  const env = testEnv();
  project = await makeProject({ registry: 'auth' });
  // An empty Docker config: no `docker login` of this machine may answer for the app.
  dockerConfig = mkdtempSync(join(tmpdir(), 'bt-e2e-docker-config-'));
  const app = await launch({ project: project.dir, env: { DOCKER_CONFIG: dockerConfig } });
  const { page } = app;
  const nav = page.getByRole('navigation', { name: 'Main' });
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'basic-analysis' })).toBeVisible();

  await nav.getByRole('button', { name: 'Images' }).click();
  const alert = page.getByRole('alert', { name: 'Error REGISTRY_AUTH_FAILED' });
  await expect(alert).toBeVisible();
  await expect(alert.getByTestId('error-message')).toContainText(env.authRegistry.address);
  await expect(alert.getByTestId('error-hint')).toContainText(/\S/);
  await shootBothThemes(page, 'images-auth-failed');

  await nav.getByRole('button', { name: 'Settings' }).click();
  const form = page.getByRole('form', { name: 'Add a registry login' });
  await form.getByLabel('Registry').fill(env.authRegistry.address);
  await form.getByLabel('User name').fill(env.authRegistry.username);
  await form.getByLabel('Password or token').fill(env.authRegistry.password);
  await form.getByRole('button', { name: 'Sign in and save' }).click();
  await expect(page.getByRole('table', { name: 'Saved registry logins' })).toContainText(env.authRegistry.username);

  await nav.getByRole('button', { name: 'Images' }).click();
  const versions = page.getByRole('table', { name: 'Image versions' });
  await expect(versions.getByRole('row', { name: `Version ${project.version}` })).toContainText('pinned');
  for (const version of Object.keys(env.image.versions)) await expect(versions.getByRole('row', { name: `Version ${version}` })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});
