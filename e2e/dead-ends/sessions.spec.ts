import { makeProject, type FixtureProject } from '../../test/support/fixture-project';
import { expect, test, type AppHandle } from '../support/app';
import { removeSessionsOf } from '../support/bridge-call';
import { waitForNotebook } from '../support/start-flow';

let project: FixtureProject | undefined;
let app: AppHandle | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  await project?.cleanup();
});

// One running session serves both dead ends (a start costs a minute on this machine): Move with no
// host leads to the Hosts screen, and Stop asks first, naming the kernels it ends.
test('Move with no host offers "Add a host"; Stop confirms and Cancel keeps the session', async ({ launch }) => {
  test.setTimeout(420_000);
  project = await makeProject();
  app = await launch({ project: project.dir });
  const { page } = app;

  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForNotebook(page, 300_000);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sessions' }).click();
  const card = page.getByRole('listitem', { name: 'basic-analysis on local' });
  await expect(card).toContainText('ready');

  // Dead end 5: no target to choose, so the dialog says why and offers the screen that fixes it.
  await card.getByRole('button', { name: 'Move basic-analysis on local' }).click();
  const move = page.getByRole('dialog', { name: 'Move basic-analysis' });
  await expect(move).toContainText('a move needs a shared host, and none is added');
  await expect(move.getByLabel('Move to')).toHaveCount(0);
  await move.getByRole('button', { name: 'Add a host' }).click();
  await expect(move).toBeHidden();
  await expect(page.getByRole('heading', { level: 1, name: 'Hosts' })).toBeFocused();
  await expect(page).toHaveTitle('Hosts · Benchtop');
  await expect(page.getByRole('form', { name: 'Add a host' }).getByLabel('SSH host')).toBeVisible();

  // Dead end 3: Stop names what is lost; Cancel (the focused answer) keeps the session running and
  // gives focus back to the Stop button.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sessions' }).click();
  const stop = card.getByRole('button', { name: 'Stop basic-analysis on local' });
  await stop.click();
  const confirm = page.getByRole('dialog', { name: 'Stop basic-analysis on local?' });
  await expect(confirm).toContainText('Running kernels and the variables in them');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(stop).toBeFocused();
  await expect(card).toContainText('ready');
  await stop.click();
  await confirm.getByRole('button', { name: 'Stop session' }).click();
  await expect(card).toContainText('stopped', { timeout: 60_000 });
});
