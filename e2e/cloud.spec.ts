import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GceServer } from '../test/cloud/gce-server';
import { PROJECT, ZONES } from '../test/cloud/support';
import { cloudVmEnv, removeFromVmEngine } from '../test/cloud/test-vm';
import { makeProject, type TestProject } from '../test/session/support';
import { expect, test, type AppHandle } from './support/app';
import { callBridge, removeSessionsOf } from './support/bridge-call';
import { shootBothThemes } from './support/screenshots';

let server: GceServer | undefined;
let project: TestProject | undefined;
let app: AppHandle | undefined;
let dir: string | undefined;

test.afterEach(async () => {
  if (app && project) await removeSessionsOf(app, project.dir);
  // The session ran on the VM, which the test stopped: its engine (the test host's) is cleaned directly.
  if (project) await removeFromVmEngine(cloudVmEnv(), project.dir);
  if (app) {
    for (const vm of await callBridge(app, 'cloudVmList', {}).catch(() => [])) {
      await callBridge(app, 'cloudVmDelete', { opId: `e2e-rm-${vm.name}`, name: vm.name }).catch((e: unknown) => console.warn(`cleanup ${vm.name}: ${String(e)}`));
    }
  }
  await server?.close();
  if (project) rmSync(project.dir, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('New cloud GPU VM: choose the GPU, see the price, watch the steps, open the notebook, stop the VM', async ({ launch }) => {
  test.setTimeout(420_000);
  const vmEnv = cloudVmEnv();
  server = await new GceServer({ project: PROJECT, zones: ZONES, vmEnv }).start();
  server.faults.stockoutZones.add('europe-west4-a');
  dir = mkdtempSync(join(tmpdir(), 'bt-e2e-cloud-'));
  writeFileSync(join(dir, 'adc.json'), JSON.stringify(server.credentials()));
  writeFileSync(join(dir, 'ssh_config'), '');
  // No fixed Jupyter port: the VM's engine is the shared test host's, where another test may hold one.
  project = makeProject();
  app = await launch({
    project: project.dir,
    env: {
      GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'adc.json'), BENCHTOP_GCE_ENDPOINT: server.url, BENCHTOP_BILLING_ENDPOINT: server.url,
      BENCHTOP_KNOWN_HOSTS: join(dir, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(dir, 'ssh_config'),
    },
  });
  // The test VMs' account and engine socket (setup, not under test).
  await callBridge(app, 'cloudSettingsSet', { sshUser: vmEnv.user, dockerSocket: vmEnv.dockerSocket, maxRunHours: 2 });
  const { page } = app;
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('heading', { level: 2, name: project.name })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Hosts' }).click();
  await page.getByRole('button', { name: 'New cloud GPU VM' }).click();

  const dialog = page.getByRole('dialog', { name: 'New cloud GPU VM' });
  const settings = dialog.getByRole('form', { name: 'Cloud settings' });
  await settings.getByLabel('Google Cloud project').fill(PROJECT);
  await settings.getByLabel('Preferred zones (optional)').fill('europe-west4-a, europe-west4-b');
  await settings.getByRole('button', { name: 'Save' }).click();

  const form = dialog.getByRole('form', { name: 'New cloud GPU VM' });
  await form.getByLabel('GPU', { exact: true }).selectOption('nvidia-tesla-t4');
  // Prices from the (local) Cloud Billing Catalog API for europe-west4: n1-standard-4 + T4 + 100 GB disk.
  await expect(form.getByTestId('cloud-price')).toContainText('$0.61 per hour');
  await expect(form.getByTestId('cloud-price')).toContainText(`Cloud Billing Catalog API prices of ${new Date().toISOString().slice(0, 10)}, europe-west4`);
  await shootBothThemes(page, 'cloud-new-vm');
  await form.getByRole('button', { name: 'Create' }).click();

  const steps = dialog.getByRole('list', { name: 'Cloud VM progress' });
  const done = steps.getByRole('listitem', { name: 'Start Jupyter: done' });
  await expect(done.or(dialog.getByRole('alert')).first()).toBeVisible({ timeout: 300_000 });
  expect(await dialog.getByRole('alert').allTextContents()).toEqual([]);
  for (const title of ['Create the VM', 'Wait for SSH', 'Docker ready', 'Pull the image']) {
    await expect(steps.getByRole('listitem', { name: `${title}: done` })).toBeVisible();
  }
  await shootBothThemes(page, 'cloud-ready');
  await dialog.getByRole('button', { name: 'Open notebook' }).click();
  // A host session opens through a private redirect page (the token never reaches a command line).
  const opened = await expect.poll(async () => (await app!.opened()).find((o) => o.kind === 'notebook' || o.kind === 'page')?.url ?? '').not.toBe('')
    .then(async () => (await app!.opened()).find((o) => o.kind === 'notebook' || o.kind === 'page')!);
  const target = opened.kind === 'page' ? /http:\/\/127\.0\.0\.1:\d+\/[^"'\s<]*/.exec(readFileSync(opened.url.replace(/^file:\/\//, ''), 'utf8'))?.[0] ?? '' : opened.url;
  expect(target).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  const url = new URL(target.replace(/&amp;/g, '&'));
  const status = await fetch(`${url.origin}/api/status`, { headers: { authorization: `token ${url.searchParams.get('token') ?? ''}` } });
  expect(status.status).toBe(200);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The session card says what the VM costs: its price per hour and the cost since it started.
  const vmName = (await callBridge(app, 'cloudVmList', {}))[0].name;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sessions' }).click();
  const sessionCard = page.getByRole('listitem', { name: `${project.name} on ${vmName}` });
  await expect(sessionCard.getByLabel(`Cost of ${project.name} on ${vmName}`)).toHaveText(/^\$0\.61\/h · \$0\.\d\d so far$/);
  await shootBothThemes(page, 'cloud-session-cost');

  // A monthly limit below what the VM has cost so far: Hosts warns, and Start asks first.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const cloudSettings = page.getByRole('region', { name: 'Cloud GPU VMs' }).getByRole('form', { name: 'Cloud settings' });
  await cloudSettings.getByLabel('Monthly limit, USD (0: none)').fill('0.001');
  await cloudSettings.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('region', { name: 'Cloud GPU VMs' }).getByRole('status')).toHaveText('Saved.');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Hosts' }).click();
  await expect(page.getByRole('alert', { name: 'Monthly cloud limit' })).toContainText(/Your cloud VMs have cost about \$0\.\d\d this month, over your limit of \$0\.00/);

  const card = page.getByRole('listitem', { name: /^Cloud VM / });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('europe-west4-b');
  await expect(card).toContainText('RUNNING');
  await expect(card).toContainText(/\$0\.\d\d per hour/);
  await card.getByRole('button', { name: /^Stop / }).click();
  await expect(card).toContainText('TERMINATED', { timeout: 60_000 });
  await card.getByRole('button', { name: /^Start / }).click();
  const ask = page.getByRole('dialog', { name: `Start ${vmName} over your monthly limit?` });
  await expect(ask).toContainText(/About \$0\.61 more per hour, on top of about \$0\.\d\d this month \(limit \$0\.00\)/);
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(card).toContainText('TERMINATED');
});
