import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test, type AppHandle } from './support/app';
import { callBridge, removeSessionsOf } from './support/bridge-call';

let project: FixtureProject | undefined;
let bob: AppHandle | undefined;

test.afterEach(async () => {
  if (bob && project) await removeSessionsOf(bob, project.dir);
  await project?.cleanup();
});

test('a teammate’s session shows read-only: whose, since when, and no open, stop or remove', async ({ launch }) => {
  test.setTimeout(240_000);
  project = await makeProject();
  // Bob, on his own laptop (his own settings home), starts a session on the engine both reach.
  bob = await launch({ env: { BENCHTOP_USER_NAME: 'bob' } });
  const bobs = await callBridge(bob, 'sessionUp', { opId: 'e2e-teammate', dir: project.dir });
  expect(bobs.state).toBe('ready');

  const { page } = await launch();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sessions' }).click();
  const name = 'basic-analysis on local (bob)';
  const card = page.getByRole('listitem', { name }).filter({ hasText: project.dir });
  await expect(card).toBeVisible();
  await expect(card).toContainText('ready');
  await expect(card).toContainText('Read-only');
  await expect(card.getByLabel(`Owner of ${name}`)).toHaveText(/^bob · since \d\d:\d\d$/);
  // Nothing to press: bob's session is his to open, stop, restart or remove; no URL either.
  await expect(card.getByRole('button')).toHaveCount(0);
  await expect(card).not.toContainText('127.0.0.1');
});
