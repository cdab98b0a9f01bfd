import { readFile, writeFile } from 'node:fs/promises';
import { testEnv } from '../../test/support/env';
import { makeProject, type FixtureProject } from '../../test/support/fixture-project';
import { expect, test } from '../support/app';
import { shootBothThemes } from '../support/screenshots';

let project: FixtureProject | undefined;

test.afterEach(async () => {
  await project?.cleanup();
});

/** The project's lockfile with one package gone, one at another version and one extra: what a pin then changes. */
function edited(lockfile: string): { text: string; gone: string; moved: { name: string; from: string; to: string }; extra: string } {
  const lines = lockfile.split('\n');
  const packages = lines.filter((l) => /^[A-Za-z0-9._-]+==/.test(l));
  const [goneLine, movedLine] = [packages[0], packages[1]];
  const [movedName, movedTo] = movedLine.split('==');
  const text = lines
    .filter((l) => l !== goneLine)
    .map((l) => (l === movedLine ? `${movedName}==0.0.1` : l))
    .concat(['zz-benchtop-extra==1.0'])
    .join('\n');
  return { text, gone: goneLine.split('==')[0], moved: { name: movedName, from: '0.0.1', to: movedTo }, extra: 'zz-benchtop-extra' };
}

// Issue 16 "Pin confirms and shows the package changes": a pin changes what the whole team runs, so
// it asks first and lists the packages the new pin's lockfile changes; Cancel writes nothing.
test('Pin asks first and lists the package changes; Cancel changes nothing, confirming pins and writes the lockfile', async ({ launch }) => {
  const env = testEnv();
  const older = '2026.11.1';
  const newer = '2026.11.2';
  project = await makeProject({ version: older });
  const change = edited(await readFile(project.lockfilePath, 'utf8'));
  await writeFile(project.lockfilePath, change.text);
  const devcontainerBefore = await readFile(project.devcontainerPath, 'utf8');
  const { page } = await launch({ project: project.dir });
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'basic-analysis' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Images' }).click();

  const versions = page.getByRole('table', { name: 'Image versions' });
  const pinButton = versions.getByRole('button', { name: `Pin ${newer}` });
  await pinButton.click();
  const dialog = page.getByRole('dialog', { name: `Pin ${newer}?` });
  await expect(dialog).toContainText(`instead of ${older}`);
  const changes = dialog.getByRole('table', { name: 'Package changes' });
  await expect(changes.getByRole('row', { name: new RegExp(`^${change.gone} added`) })).toBeVisible();
  await expect(changes.getByRole('row', { name: new RegExp(`^${change.extra} removed`) })).toBeVisible();
  await expect(changes.getByRole('row', { name: new RegExp(`^${change.moved.name} changed ${change.moved.from.replace(/\./g, '\\.')}`) })).toContainText(change.moved.to);
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await shootBothThemes(page, 'images-pin-confirm');

  // Cancel: nothing written, focus back on the Pin button.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(pinButton).toBeFocused();
  expect(await readFile(project.devcontainerPath, 'utf8')).toBe(devcontainerBefore);
  expect(await readFile(project.lockfilePath, 'utf8')).toBe(change.text);

  // Confirm: pinned, the lockfile is the image's, and the result takes focus.
  await pinButton.click();
  await dialog.getByRole('button', { name: `Pin ${newer}` }).click();
  await expect(dialog).toBeHidden();
  const result = page.getByRole('status', { name: 'Pin result' });
  await expect(result).toContainText(`Pinned ${newer}.`);
  await expect(result).toContainText('1 added, 1 removed, 1 changed');
  await expect(result).toBeFocused();
  await expect(versions.getByRole('row', { name: `Version ${newer}` })).toContainText('pinned');
  expect(await readFile(project.devcontainerPath, 'utf8')).toContain(`${project.repository}@${env.image.versions[newer]?.digest}`);
  expect(await readFile(project.lockfilePath, 'utf8')).not.toContain(change.extra);
});
