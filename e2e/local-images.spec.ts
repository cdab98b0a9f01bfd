import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test } from './support/app';

let project: FixtureProject | undefined;
let testTag: string | undefined;

const docker = (...args: string[]) => execFileSync('docker', args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
const exists = (ref: string): boolean => {
  try {
    docker('image', 'inspect', ref);
    return true;
  } catch {
    return false;
  }
};

test.afterEach(async () => {
  if (testTag && exists(testTag)) docker('rmi', testTag);
  await project?.cleanup();
});

test('removing a copy on the Images screen takes away exactly that name, and the image stays under its other names', async ({ launch }) => {
  project = await makeProject();
  const source = `${project.repository}@${project.digest}`;
  if (!exists(source)) docker('pull', source);
  // A name of this test's own on the shared image: removing it frees nothing anyone else uses.
  testTag = `${project.repository}:bt-test-${randomBytes(4).toString('hex')}`;
  docker('tag', source, testTag);

  const { page } = await launch({ project: project.dir });
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Images' }).click();
  const local = page.getByRole('table', { name: 'Local images' });
  const row = local.getByRole('row', { name: testTag });
  await expect(row).toBeVisible();
  const before = await local.getByRole('row').count();

  await row.getByRole('button', { name: `Remove ${testTag}` }).click();
  const confirm = page.getByRole('dialog', { name: `Remove ${testTag}?` });
  // The tag shares its image with the pinned digest's name: only the name goes, and the dialog says so.
  await expect(confirm).toContainText('other name(s) keep the image itself');
  await confirm.getByRole('button', { name: 'Remove image' }).click();
  await expect(row).toHaveCount(0);
  await expect(local.getByRole('row')).toHaveCount(before - 1);
  expect(exists(testTag)).toBe(false);
  expect(exists(source)).toBe(true);
});
