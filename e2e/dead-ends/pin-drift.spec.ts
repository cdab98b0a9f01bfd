import type { Page } from '@playwright/test';
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

const nav = (page: Page, screen: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen }).click();

async function pin(page: Page, version: string): Promise<void> {
  await nav(page, 'Images');
  const versions = page.getByRole('table', { name: 'Image versions' });
  await versions.getByRole('button', { name: `Pin ${version}` }).click();
  await page.getByRole('dialog', { name: `Pin ${version}?` }).getByRole('button', { name: `Pin ${version}` }).click();
  await expect(versions.getByRole('row', { name: `Version ${version}` })).toContainText('pinned');
}

// Dead ends 1 and 4: after a pin, the running session says it runs another version and offers
// "Restart on VERSION"; Start on Welcome offers "Stop the old session and start VERSION". Both work.
test('a session off the pin offers Restart on the pinned version, and Start after a pin stops the old one', async ({ launch }) => {
  test.setTimeout(600_000);
  project = await makeProject({ version: '2026.11.2' });
  app = await launch({ project: project.dir });
  const { page } = app;
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForNotebook(page, 300_000);

  // Dead end 4: the card names both versions and restarts on the pin.
  await pin(page, '2026.11.1');
  await nav(page, 'Sessions');
  const card = page.getByRole('listitem', { name: 'basic-analysis on local' });
  const drift = card.getByRole('status', { name: 'Version of basic-analysis on local' });
  await expect(drift).toContainText('Runs 2026.11.2; the project now pins 2026.11.1');
  await drift.getByRole('button', { name: 'Restart on 2026.11.1' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome' })).toBeVisible();
  await waitForNotebook(page, 300_000);
  await nav(page, 'Sessions');
  await expect(card.getByRole('definition').filter({ hasText: '2026.11.1' })).toBeVisible();
  await expect(drift).toHaveCount(0);

  // Dead end 1: Start after a pin is not SESSION_EXISTS with digests and a CLI command, but a button.
  await pin(page, '2026.11.2');
  await nav(page, 'Welcome');
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const replace = page.getByRole('button', { name: 'Stop the old session and start 2026.11.2' });
  await expect(replace).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('alert')).toContainText('already runs version 2026.11.1');
  await expect(page.getByRole('alert')).not.toContainText('sha256:');
  await replace.click();
  // The panel goes once the old session has stopped and the start begins again.
  await expect(page.getByRole('alert')).toHaveCount(0, { timeout: 60_000 });
  await waitForNotebook(page, 300_000);
  await nav(page, 'Sessions');
  await expect(card.getByRole('definition').filter({ hasText: '2026.11.2' })).toBeVisible();
});
