import type { Page } from '@playwright/test';
import { makeProject, type FixtureProject } from '../../test/support/fixture-project';
import { expect, test, type AppHandle } from '../support/app';
import { callBridge, removeSessionsOf } from '../support/bridge-call';
import { waitForNotebook } from '../support/start-flow';

const projects: FixtureProject[] = [];
let app: AppHandle | undefined;

test.afterEach(async () => {
  for (const p of projects.splice(0)) {
    if (app) await removeSessionsOf(app, p.dir);
    await p.cleanup();
  }
  app = undefined;
});

const go = (page: Page, screen: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen }).click();

// Issue 16, point 10: Recent projects no longer vanish once a project is open; the app's idle stop
// says when the project's own wins; "Download" beside the unpacked size is explained.
test('recent projects stay one click away, the project’s idle stop is named in Settings, and download vs size is explained', async ({ launch }) => {
  const first = await makeProject();
  const second = await makeProject();
  projects.push(first, second);
  app = await launch({ project: second.dir });
  const { page } = app;
  // Opened before (setup through the bridge, as an earlier day's work would have): it is a recent project.
  await callBridge(app, 'projectOpen', { dir: first.dir });
  await page.reload();

  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByText(second.dir, { exact: true })).toBeVisible();
  const others = page.getByRole('list', { name: 'Other recent projects' });
  await expect(others.getByRole('button')).toHaveCount(1);
  await expect(others.getByRole('button')).toContainText(first.dir);
  await others.getByRole('button').click();
  await expect(page.getByText(first.dir, { exact: true })).toBeVisible();
  await expect(others.getByRole('button')).toContainText(second.dir);

  // The fixture sets idleMinutes 30; the app's default is 60: the project's wins, and Settings says so.
  await go(page, 'Settings');
  const note = page.locator('#idle-wins');
  await expect(note).toContainText('basic-analysis\'s sessions stop after 30 min idle');
  const sessions = page.getByRole('form', { name: 'Sessions' });
  await sessions.getByLabel('Idle stop (minutes, 0 = never)').fill('30');
  await sessions.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(sessions.getByText('Saved.')).toBeVisible();
  await expect(note).not.toContainText('sessions stop after');

  await go(page, 'Images');
  const versions = page.getByRole('table', { name: 'Image versions' });
  await expect(versions.getByRole('columnheader', { name: 'Download (packed)' })).toBeVisible();
  await expect(page.getByText('Download is what the registry sends, packed')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Local images' }).getByRole('columnheader', { name: 'Size unpacked' })).toBeVisible();
});

// Issue 16, point 10: Welcome kept the notebook URL of a session that had since moved or stopped.
test('Welcome does not show the notebook URL of a session that has stopped since; it leads to Sessions', async ({ launch }) => {
  test.setTimeout(420_000);
  const project = await makeProject();
  projects.push(project);
  app = await launch({ project: project.dir });
  const { page } = app;
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForNotebook(page, 300_000);
  await expect(page.getByTestId('session-url')).toBeVisible();

  await go(page, 'Sessions');
  const card = page.getByRole('listitem', { name: 'basic-analysis on local' });
  await card.getByRole('button', { name: 'Stop basic-analysis on local' }).click();
  await page.getByRole('dialog', { name: 'Stop basic-analysis on local?' }).getByRole('button', { name: 'Stop session' }).click();
  await expect(card).toContainText('stopped', { timeout: 60_000 });

  await go(page, 'Welcome');
  await expect(page.getByTestId('session-url')).toHaveCount(0);
  const gone = page.getByRole('listitem', { name: 'Open the notebook: done' }).getByRole('status');
  await expect(gone).toContainText('This session no longer runs (stopped)');
  await gone.getByRole('button', { name: 'Go to Sessions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeFocused();
});
