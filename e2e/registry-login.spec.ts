import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEnv } from '../test/support/env';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test, type AppHandle } from './support/app';
import { removeSessionsOf } from './support/bridge-call';

let project: FixtureProject | undefined;
let app: AppHandle | undefined;
let dockerConfig: string | undefined;
let pulledHere: string | undefined;

const imageExists = (ref: string): boolean => {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

test.beforeEach(() => {
  test.skip(test.info().project.name !== 'bridge', 'Answers the folder dialog per app instance, which only the bridge can.');
});

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  // Remove the copy this test pulled, and only that (another test may rely on a copy it found).
  if (pulledHere && imageExists(pulledHere)) execFileSync('docker', ['rmi', pulledHere], { stdio: 'ignore' });
  await project?.cleanup();
  if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
});

test('a project on the password registry fails with REGISTRY_AUTH_FAILED until its login is saved, then starts', async ({ launch }) => {
  test.setTimeout(300_000);
  const env = testEnv();
  project = await makeProject({ registry: 'auth' });
  const ref = `${project.repository}@${project.digest}`;
  if (!imageExists(ref)) pulledHere = ref;
  // An empty Docker config: no `docker login` of this machine may answer for the app.
  dockerConfig = mkdtempSync(join(tmpdir(), 'bt-e2e-docker-config-'));
  app = await launch({ project: project.dir, env: { DOCKER_CONFIG: dockerConfig } });
  const { page } = app;
  const nav = page.getByRole('navigation', { name: 'Main' });

  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const alert = page.getByRole('alert', { name: 'Error REGISTRY_AUTH_FAILED' });
  await expect(alert).toBeVisible({ timeout: 120_000 });
  await expect(alert.getByTestId('error-message')).toContainText(env.authRegistry.address);
  await expect(alert.getByTestId('error-hint')).toContainText(/\S/);

  await nav.getByRole('button', { name: 'Settings' }).click();
  const form = page.getByRole('form', { name: 'Add a registry login' });
  await form.getByLabel('Registry').fill(env.authRegistry.address);
  await form.getByLabel('User name').fill(env.authRegistry.username);
  await form.getByLabel('Password or token').fill(env.authRegistry.password);
  await form.getByRole('button', { name: 'Save login' }).click();
  await expect(page.getByRole('table', { name: 'Saved registry logins' })).toContainText(env.authRegistry.username);

  // Back on Welcome the failed run is still there, and retrying it now gets through.
  await nav.getByRole('button', { name: 'Welcome' }).click();
  await alert.getByRole('button', { name: /^Retry from / }).click();
  const done = page.getByRole('listitem', { name: 'Open the notebook: done' });
  await expect(done.or(page.getByRole('alert')).first()).toBeVisible({ timeout: 240_000 });
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);
  await expect(page.getByRole('progressbar', { name: 'Image download' })).toHaveAttribute('aria-valuenow', '100');
});
