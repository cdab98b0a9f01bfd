import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { expect, test, type AppHandle } from './support/app';
import { callBridge, removeSessionsOf } from './support/bridge-call';
import { execAsRoot } from './support/container-exec';
import { shootBothThemes } from './support/screenshots';
import { waitForNotebook } from './support/start-flow';
import { testDocker } from './support/unique-analysis-image';

let project: FixtureProject | undefined;
let app: AppHandle | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  await project?.cleanup();
  app = undefined;
  project = undefined;
});

/** Where pip installs inside the analysis image (Debian's python3.11), and where Debian's own packages live. */
const LOCAL_SITE = '/usr/local/lib/python3.11/dist-packages';
const DEBIAN_SITE = '/usr/lib/python3/dist-packages';

test('a package added, removed and changed inside a running session shows as drift on the Project screen', async ({ launch }) => {
  test.setTimeout(420_000);
  project = await makeProject();
  app = await launch({ project: project.dir });
  const { page } = app;

  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'basic-analysis' })).toBeVisible();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForNotebook(page, 360_000);

  // Change the environment for real, as root inside the container: a new package (its metadata, as
  // pip writes it), one of Debian's packages gone (what pip uninstall removes), one at another version.
  const session = (await callBridge(app, 'sessionList')).find((s) => s.projectDir === project?.dir && s.state === 'ready');
  expect(session, 'the started session is listed as ready').toBeDefined();
  await execAsRoot(testDocker(), session?.name ?? '', [
    `mkdir -p ${LOCAL_SITE}/benchtop_drift_probe-1.2.3.dist-info`,
    `printf 'Metadata-Version: 2.1\\nName: benchtop-drift-probe\\nVersion: 1.2.3\\n' > ${LOCAL_SITE}/benchtop_drift_probe-1.2.3.dist-info/METADATA`,
    `printf 'pip\\n' > ${LOCAL_SITE}/benchtop_drift_probe-1.2.3.dist-info/INSTALLER`,
    `rm -rf ${DEBIAN_SITE}/pickleshare-0.7.5.egg-info ${DEBIAN_SITE}/pickleshare.py`,
    `sed -i 's/^Version: 0\\.2\\.5$/Version: 0.2.6/' ${DEBIAN_SITE}/wcwidth-0.2.5.egg-info/PKG-INFO`,
    `grep -qx 'Version: 0.2.6' ${DEBIAN_SITE}/wcwidth-0.2.5.egg-info/PKG-INFO`,
  ].join('\n'));

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Project' }).click();
  const drift = page.getByRole('region', { name: 'Drift' });
  await drift.getByRole('button', { name: 'Check drift on local' }).click({ timeout: 60_000 });
  const table = drift.getByRole('table', { name: 'Package differences' });
  await expect(table.or(drift.getByRole('alert')).first()).toBeVisible({ timeout: 90_000 });
  expect(await drift.getByRole('alert').allTextContents()).toEqual([]);
  await expect(drift.getByRole('status')).toHaveCount(0);

  await expect(table.getByRole('columnheader')).toHaveText(['Package', 'Change', 'Lockfile', 'Session']);
  const expected = [
    { name: 'benchtop-drift-probe', cells: ['added', '—', '1.2.3'] },
    { name: 'pickleshare', cells: ['removed', '0.7.5', '—'] },
    { name: 'wcwidth', cells: ['changed', '0.2.5', '0.2.6'] },
  ];
  // Exactly these three: the rest of the environment still matches the lockfile.
  await expect(table.getByRole('rowheader')).toHaveText(expected.map((e) => e.name));
  for (const { name, cells } of expected) {
    const row = table.getByRole('row', { name: new RegExp(`^${name} `) });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('rowheader', { name, exact: true })).toBeVisible();
    await expect(row.getByRole('cell')).toHaveText(cells);
  }
  await shootBothThemes(page, 'project-drift');
});
