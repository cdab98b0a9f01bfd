import { readFile } from 'node:fs/promises';
import { testEnv } from '../test/support/env';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test } from './support/app';
import { shootBothThemes } from './support/screenshots';

let project: FixtureProject | undefined;

test.afterEach(async () => {
  await project?.cleanup();
});

test('pinning a newer version on the Images screen rewrites the project file on disk', async ({ launch }) => {
  const env = testEnv();
  const older = '2026.11.1';
  const newer = '2026.11.2';
  const newerDigest = env.image.versions[newer]?.digest ?? '';
  project = await makeProject({ version: older });
  const before = await readFile(project.devcontainerPath, 'utf8');
  const app = await launch({ project: project.dir });
  const { page } = app;
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'basic-analysis' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Project' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Pinned image' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Lockfile' }).getByText('match', { exact: true })).toBeVisible();
  await shootBothThemes(page, 'project-open');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Images' }).click();
  const versions = page.getByRole('table', { name: 'Image versions' });
  await expect(versions.getByRole('row', { name: `Version ${older}` })).toContainText('pinned');
  await expect(versions.getByRole('row', { name: `Version ${newer}` })).toContainText('newer');
  await shootBothThemes(page, 'images-open');

  await versions.getByRole('button', { name: `Pin ${newer}` }).click();
  await page.getByRole('dialog', { name: `Pin ${newer}?` }).getByRole('button', { name: `Pin ${newer}` }).click();
  await expect(versions.getByRole('row', { name: `Version ${newer}` })).toContainText('pinned');
  await expect(versions.getByRole('button', { name: `Pin ${older}` })).toBeVisible();

  const after = await readFile(project.devcontainerPath, 'utf8');
  expect(after).toContain(`${project.repository}@${newerDigest}`);
  expect(after).toContain(`// version: ${newer}`);
  // Only the pin changed: every other byte (comments, odd indentation, trailing commas) is the user's.
  expect(after).toBe(before.replace(`${project.repository}@${project.digest}", // version: ${older}`, `${project.repository}@${newerDigest}", // version: ${newer}`));
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('basic-analysis');
});
