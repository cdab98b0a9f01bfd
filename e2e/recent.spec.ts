import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test } from './support/app';

let project: FixtureProject | undefined;

test.afterEach(async () => {
  await project?.cleanup();
});

test('an opened project is listed under Recent projects and opens again from there after a reload', async ({ launch }) => {
  project = await makeProject();
  const { page } = await launch({ project: project.dir });
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('basic-analysis');

  await page.reload();
  await expect(page.getByText('No project open')).toBeVisible();
  const recent = page.getByRole('list', { name: 'Recent projects' });
  await expect(recent.getByRole('button', { name: 'Open basic-analysis' })).toContainText(project.dir);
  await recent.getByRole('button', { name: 'Open basic-analysis' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'basic-analysis' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start', exact: true })).toBeEnabled();
});

test('a folder that is not a project says why, with the fix', async ({ launch }) => {
  project = await makeProject();
  const { page } = await launch({ project: `${project.dir}/notebooks` });
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  const alert = page.getByRole('alert');
  await expect(alert.getByTestId('error-code')).toHaveText('DEVCONTAINER_MISSING');
  await expect(alert.getByTestId('error-hint')).toContainText(/\S/);
  await expect(page.getByText('No project open')).toBeVisible();
});
