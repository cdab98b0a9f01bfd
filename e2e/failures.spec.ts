import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test, type AppHandle } from './support/app';
import { removeSessionsOf } from './support/bridge-call';
import { shootBothThemes } from './support/screenshots';

let project: FixtureProject | undefined;
let app: AppHandle | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  await project?.cleanup();
  app = undefined;
});

test('with no engine reachable, Start stops at the check with ENGINE_UNREACHABLE and its fix', async ({ launch }) => {
  project = await makeProject();
  const deadSocket = join(tmpdir(), `bt-test-dead-${process.pid}-${Date.now()}.sock`);
  app = await launch({ project: project.dir, env: { DOCKER_HOST: `unix://${deadSocket}` } });
  const { page } = app;
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await page.getByRole('button', { name: 'Start', exact: true }).click();

  const alert = page.getByRole('alert', { name: 'Error ENGINE_UNREACHABLE' });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await expect(alert.getByTestId('error-message')).not.toBeEmpty();
  await expect(alert.getByTestId('error-hint')).toContainText(/\S/);
  await expect(page.getByRole('listitem', { name: 'Check this computer: failed' })).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Start the session: waiting' })).toBeVisible();
  await expect(alert.getByRole('button', { name: 'Retry from Check this computer' })).toBeEnabled();
  await shootBothThemes(page, 'welcome-engine-unreachable');
});

test('a pin to a digest the registry does not have fails with its code and a fix hint', async ({ launch }) => {
  test.setTimeout(180_000);
  project = await makeProject();
  const wrong = `sha256:${'e'.repeat(64)}`;
  const text = await readFile(project.devcontainerPath, 'utf8');
  await writeFile(project.devcontainerPath, text.replace(project.digest, wrong));
  app = await launch({ project: project.dir });
  const { page } = app;
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await page.getByRole('button', { name: 'Start', exact: true }).click();

  const alert = page.getByRole('alert');
  await expect(alert).toBeVisible({ timeout: 150_000 });
  await expect(alert.getByTestId('error-code')).toHaveText(/^(IMAGE_NOT_FOUND|DIGEST_MISMATCH|PULL_FAILED)$/);
  await expect(alert.getByTestId('error-message')).toContainText('eeeeeeeeeeee');
  await expect(alert.getByTestId('error-hint')).toContainText(/\S/);
  await expect(alert.getByRole('button', { name: /^Retry from / })).toBeVisible();
  await expect(page.getByRole('listitem', { name: 'Open the notebook: waiting' })).toBeVisible();
});
