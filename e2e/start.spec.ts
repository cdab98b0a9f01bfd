import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test, type AppHandle } from './support/app';
import { removeSessionsOf } from './support/bridge-call';
import { shootBothThemes } from './support/screenshots';
import { waitForNotebook } from './support/start-flow';

let project: FixtureProject | undefined;
let app: AppHandle | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  await project?.cleanup();
});

test('open the fixture project, click Start once, and reach a live Jupyter', async ({ launch }) => {
  test.setTimeout(420_000);
  project = await makeProject();
  app = await launch({ project: project.dir });
  const { page } = app;

  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'basic-analysis' })).toBeVisible();
  await expect(page.getByText(project.version, { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  const steps = page.getByRole('list', { name: 'Start progress' });
  await expect(steps.getByRole('listitem', { name: 'Check this computer: done' })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByRole('list', { name: 'Machine checks' }).getByRole('listitem').first()).toBeVisible();
  // The whole check report copies as plain text, every check on its own line, for a help request.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  const copyReport = page.getByRole('button', { name: 'Copy report' });
  await copyReport.click();
  await expect(copyReport).toHaveText('Copied');
  type ClipboardPage = { navigator: { clipboard: { readText(): Promise<string> } } };
  const report: string = await page.evaluate(() => (globalThis as unknown as ClipboardPage).navigator.clipboard.readText());
  expect(report).toMatch(/^. NVIDIA GPU\s/m);
  expect(report.split('\n').filter((line) => /^[✓!✗–] /.test(line)).length).toBeGreaterThanOrEqual(12);
  // Wait for the end either way; a failure then shows its code and message in the assertion.
  const done = await waitForNotebook(page, 300_000);
  await expect(done).toBeVisible();
  await expect(page.getByTestId('session-url')).toContainText('http://127.0.0.1:');
  await shootBothThemes(page, 'welcome-started');

  // The app asked the desktop to show the notebook; that URL must reach a live Jupyter.
  const notebook = (await app.opened()).find((o) => o.kind === 'notebook');
  expect(notebook?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  const url = new URL(notebook?.url ?? '');
  const token = url.searchParams.get('token') ?? '';
  const status = await fetch(`${url.origin}/api/status`, { headers: { authorization: `token ${token}` } });
  expect(status.status).toBe(200);
  expect(await status.json()).toHaveProperty('started');

  // The Sessions screen lists it as ready, with its target and image version.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sessions' }).click();
  // Other tests may run sessions of the same fixture: this one is told apart by its folder.
  const row = page.getByRole('listitem', { name: 'basic-analysis on local' }).filter({ hasText: project.dir });
  await expect(row).toContainText('ready');
  await expect(row).toContainText(project.version);
  // Usage samples arrive while the screen is open.
  await expect(row.getByRole('figure')).toHaveAttribute('aria-label', /CPU [\d.]+ %, memory [\d.]+ [KMG]?B/, { timeout: 30_000 });
  await shootBothThemes(page, 'sessions-running');

  // The running environment is what the lockfile says: no drift.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Project' }).click();
  await page.getByRole('button', { name: 'Check drift on local' }).click();
  await expect(page.getByRole('region', { name: 'Drift' }).getByRole('status')).toHaveText('No drift: the session matches the lockfile.', {
    timeout: 60_000,
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sessions' }).click();

  // Logs follow the container's output; closing them ends the follow.
  await row.getByRole('button', { name: 'Logs of basic-analysis on local' }).click();
  const logs = page.getByRole('region', { name: 'Logs of basic-analysis' });
  await expect(logs.getByRole('log')).toContainText(/jupyter/i, { timeout: 30_000 });
  await expect(logs).toContainText('following');
  await logs.getByRole('button', { name: 'Close logs' }).click();
  await expect(logs).toBeHidden();

  // Stop, then remove, from the same screen.
  await row.getByRole('button', { name: 'Stop basic-analysis on local' }).click();
  // Stopping ends the kernels: the app asks first, naming that.
  const stopDialog = page.getByRole('dialog', { name: 'Stop basic-analysis on local?' });
  await expect(stopDialog).toContainText('Running kernels');
  await stopDialog.getByRole('button', { name: 'Stop session' }).click();
  await expect(row).toContainText('stopped', { timeout: 60_000 });
  await row.getByRole('button', { name: 'Remove basic-analysis on local' }).click();
  await page.getByRole('dialog', { name: 'Remove basic-analysis on local?' }).getByRole('button', { name: 'Remove session' }).click();
  await expect(row).toHaveCount(0);
});
