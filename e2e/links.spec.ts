import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { publishRepo, type PublishedRepo } from '../test/support/git-server';
import { expect, test, type AppHandle } from './support/app';
import { callBridge, removeSessionsOf } from './support/bridge-call';
import { shootBothThemes } from './support/screenshots';
import { waitForNotebook } from './support/start-flow';

// A benchtop:// link as a new hire gets it: delivered to the running app (the way Electron's
// open-url/second-instance hand it over), a consent dialog saying what will happen, then the
// one-click start. The repository is the fixture project on the loopback git server.
let project: FixtureProject | undefined;
let repo: PublishedRepo | undefined;
let app: AppHandle | undefined;
let projects: string | undefined;

test.afterEach(async () => {
  if (app && repo && projects) await removeSessionsOf(app, join(projects, repo.name));
  repo?.remove();
  await project?.cleanup();
  if (projects) rmSync(projects, { recursive: true, force: true });
});

async function openWithLink(launch: (o: { env: Record<string, string> }) => Promise<AppHandle>): Promise<{ app: AppHandle; link: string }> {
  project = await makeProject();
  repo = publishRepo(project.dir);
  projects = mkdtempSync(join(tmpdir(), 'bt-e2e-projects-'));
  app = await launch({ env: { BENCHTOP_PROJECTS_DIR: projects } });
  const link = `benchtop://open?repo=${encodeURIComponent(repo.url)}&ref=main`;
  await callBridge(app, 'linkOpen', { url: link });
  return { app, link };
}

test('a link asks first, then clones the project and starts its notebook', async ({ launch }) => {
  test.setTimeout(420_000);
  const { app: started } = await openWithLink(launch);
  const { page } = started;
  const dialog = page.getByRole('dialog', { name: 'Open basic-analysis from a link?' });
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  await expect(dialog.getByTestId('link-repo')).toHaveText(repo?.url ?? '');
  await expect(dialog.getByTestId('link-folder')).toHaveText(join(projects ?? '', repo?.name ?? ''));
  await expect(dialog.getByTestId('link-image')).toHaveText(project?.image ?? '');
  await expect(dialog.getByText(repo?.commit ?? '', { exact: true })).toBeVisible();
  await expect(dialog.getByRole('list', { name: 'What will happen' })).toContainText('Start the Jupyter session');
  // Nothing has happened yet.
  expect(readdirSync(projects ?? '')).toEqual([]);
  await shootBothThemes(page, 'link-consent');

  await dialog.getByRole('button', { name: 'Confirm and start' }).click();
  await expect(dialog).toBeHidden();
  const done = await waitForNotebook(page, 300_000);
  await expect(done).toBeVisible();
  expect(readdirSync(join(projects ?? '', repo?.name ?? '')).sort()).toEqual(['.devcontainer', '.git', 'environment.lock', 'notebooks']);
  const notebook = (await started.opened()).find((o) => o.kind === 'notebook');
  const url = new URL(notebook?.url ?? '');
  const status = await fetch(`${url.origin}/api/status`, { headers: { authorization: `token ${url.searchParams.get('token') ?? ''}` } });
  expect(status.status).toBe(200);
});

test('Cancel on the consent dialog clones nothing', async ({ launch }) => {
  test.setTimeout(120_000);
  const { app: started } = await openWithLink(launch);
  const dialog = started.page.getByRole('dialog', { name: 'Open basic-analysis from a link?' });
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(readdirSync(projects ?? '')).toEqual([]);
  // The staged clone is gone too.
  await expect.poll(() => readdirSync(join(started.home, 'link-staging'))).toEqual([]);
});

test('a hostile link is refused with its reason, and nothing runs', async ({ launch }) => {
  app = await launch({});
  await callBridge(app, 'linkOpen', { url: 'benchtop://open?repo=ext::sh -c "touch /tmp/bt-e2e-pwned"' });
  const dialog = app.page.getByRole('dialog', { name: 'This link cannot be used' });
  await expect(dialog.getByTestId('error-code')).toHaveText('LINK_INVALID');
  await expect(dialog).toContainText('must be an https:// address');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});
