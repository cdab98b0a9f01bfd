import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test, type AppHandle } from './support/app';
import { removeSessionsOf } from './support/bridge-call';
import { tabTo } from './support/keyboard';
import { waitForNotebook } from './support/start-flow';

let project: FixtureProject | undefined;
let app: AppHandle | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  await project?.cleanup();
});

test('keyboard only: skip link, open and start, the stop confirmation, and settings', async ({ launch }) => {
  test.setTimeout(420_000);
  project = await makeProject();
  app = await launch({ project: project.dir });
  const { page } = app;
  const nav = page.getByRole('navigation', { name: 'Main' });

  // The first Tab stop is the skip link; Enter lands on the screen, past the navigation.
  await expect(page).toHaveTitle('Welcome · Benchtop');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await tabTo(page, skip);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();

  // Open the folder: focus moves to Start. Start keeps focus while it runs.
  await tabTo(page, page.getByRole('button', { name: 'Open project folder…' }));
  await page.keyboard.press('Enter');
  const start = page.getByRole('button', { name: 'Start', exact: true });
  await expect(start).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(start).toHaveAttribute('aria-disabled', 'true');
  await expect(start).toBeFocused();
  await waitForNotebook(page, 300_000);

  // Sessions: the heading takes focus; Stop asks, Escape answers no and focus returns to Stop.
  await tabTo(page, nav.getByRole('button', { name: 'Sessions' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeFocused();
  await expect(page).toHaveTitle('Sessions · Benchtop');
  const stop = page.getByRole('button', { name: 'Stop basic-analysis on local' });
  await tabTo(page, stop);
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Stop basic-analysis on local?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(stop).toBeFocused();

  // Settings: the idle field and Save, by Tab and Enter.
  await tabTo(page, nav.getByRole('button', { name: 'Settings' }), 80);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused();
  const idle = page.getByLabel('Idle stop (minutes, 0 = never)');
  await tabTo(page, idle);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('30');
  const sessionsForm = page.getByRole('form', { name: 'Sessions' });
  await tabTo(page, sessionsForm.getByRole('button', { name: 'Save', exact: true }));
  await page.keyboard.press('Enter');
  await expect(sessionsForm.getByText('Saved.')).toBeVisible();
});
