// Slurm clusters in the app, against the real test cluster (scripts/test-env/slurm.sh): its login
// node's sshd, slurmctld with slurmdbd quotas, rootless podman on the nodes, Jupyter in the job.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeProject, type FixtureProject } from '../test/support/fixture-project';
import { onLogin, type SlurmEnv, type SlurmUser } from '../test/slurm-env/support';
import { testEnv } from '../test/support/env';
import type { Page } from '@playwright/test';
import { expect, test } from './support/app';
import { shootBothThemes } from './support/screenshots';

const cluster = (testEnv() as unknown as { slurm?: SlurmEnv | null }).slurm ?? undefined;
const user = (name: string): SlurmUser => {
  const found = cluster?.users.find((u) => u.name === name);
  if (!found) throw new Error(`env.json's cluster has no user ${name}`);
  return found;
};

let sshDir: string | undefined;
let project: (FixtureProject & { name: string }) | undefined;
/** Jobs this spec submitted over plain ssh, by user, cancelled at the end whatever happened. */
const submitted: { user: SlurmUser; jobId: string }[] = [];

test.beforeEach(() => {
  test.skip(!cluster, '.test-env/env.json has no "slurm" cluster (scripts/test-env/slurm.sh did not set one up).');
});

test.afterEach(async () => {
  if (cluster) {
    for (const { user: u, jobId } of submitted.splice(0)) await onLogin(cluster, u, `scancel ${jobId}`).catch(() => undefined);
    if (project) {
      const alice = user('btalice');
      await onLogin(cluster, alice, `scancel --user=${alice.name} --name=benchtop-${project.name}; rm -rf '${alice.sharedDir}/${project.name}'`).catch(() => undefined);
    }
  }
  await project?.cleanup();
  project = undefined;
  if (sshDir) rmSync(sshDir, { recursive: true, force: true });
});

/** Submits a plain GPU job (not a Benchtop session) as `u` over ssh; its id. */
async function plainGpuJob(env: SlurmEnv, u: SlurmUser, gpus: number, name: string): Promise<string> {
  const out = await onLogin(env, u, `sbatch --parsable --job-name=${name} --partition=${env.partition} --account=${env.account} --qos=${env.qos} --gres=gpu:${gpus} --time=10 --wrap='sleep 600'`);
  const jobId = out.stdout.trim().split(';')[0] ?? '';
  if (out.code !== 0 || !/^\d+$/.test(jobId)) throw new Error(`sbatch as ${u.name} failed: ${out.stderr}`);
  submitted.push({ user: u, jobId });
  return jobId;
}

/** Hosts → Add a Slurm cluster as `u` (the login node's key confirmed first); the cluster's host id. */
async function addCluster(page: Page, env: SlurmEnv, u: SlurmUser, knownHosts: string): Promise<string> {
  const form = page.getByRole('form', { name: 'Add a Slurm cluster' });
  await form.getByLabel('Login node').fill(`${u.name}@${env.login.host}:${env.login.port}`);
  await form.getByLabel('Key file (optional)').fill(u.key);
  await form.getByText('Partition, account and folders (optional)').click();
  await form.getByLabel('Partition', { exact: true }).fill(env.partition);
  await form.getByLabel('Account').fill(env.account);
  await form.getByLabel('QOS').fill(env.qos);
  await form.getByLabel('Shared folder for notebooks').fill(u.sharedDir);
  await form.getByLabel('GPU device files').fill(env.gpuDevicePattern);
  await form.getByRole('button', { name: 'Add cluster' }).click();
  const trust = page.getByRole('dialog', { name: 'Trust this host?' });
  await expect(trust.getByTestId('host-fingerprint')).toHaveText(env.login.hostKeyFingerprint, { timeout: 30_000 });
  await trust.getByRole('button', { name: 'Trust and add' }).click();
  await expect(trust).toBeHidden({ timeout: 60_000 });
  expect(readFileSync(knownHosts, 'utf8')).toContain(env.login.knownHostsLine.split(' ').slice(1).join(' '));
  const card = page.getByRole('listitem', { name: /^Host / });
  await expect(card).toHaveCount(1);
  return ((await card.getAttribute('aria-label')) ?? '').replace(/^Host /, '');
}

test('add a Slurm cluster (trust its key), start the project there: pending over the GPU quota, then a notebook that answers; others\' jobs are read-only on its board', async ({ launch }) => {
  test.setTimeout(240_000);
  const env = cluster!;
  const alice = user('btalice');
  const bob = user('btbob');
  sshDir = mkdtempSync(join(tmpdir(), 'bt-e2e-slurm-'));
  const knownHosts = join(sshDir, 'known_hosts');
  writeFileSync(join(sshDir, 'config'), '');
  const fixture = await makeProject({ version: env.image.split(':').pop() });
  // Its own name: a cluster session is found again by owner and project name.
  const name = `slurm-e2e-${randomBytes(3).toString('hex')}`;
  writeFileSync(fixture.devcontainerPath, readFileSync(fixture.devcontainerPath, 'utf8').replace('"name": "basic-analysis"', `"name": "${name}"`));
  project = { ...fixture, name };

  // A teammate's GPU job, and two cards of Alice's own outside Benchtop: her QOS allows 2 at a time.
  const bobJob = await plainGpuJob(env, bob, 1, 'bob-training');
  const blocker = await plainGpuJob(env, alice, 2, 'alice-batch');

  const app = await launch({ project: project.dir, env: { BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: join(sshDir, 'config'), BENCHTOP_USER_NAME: alice.name } });
  const { page } = app;
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Hosts' }).click();

  const hostId = await addCluster(page, env, alice, knownHosts);

  // The cluster's facts from its check: the partition with its GPUs, and Alice's GPU quota.
  const card = page.getByRole('listitem', { name: `Host ${hostId}` });
  await expect(card.getByText('ok', { exact: true }).or(card.locator('.hint'))).toHaveText('ok', { timeout: 30_000 });
  await expect(card.getByRole('row', { name: `Partition ${env.partition}`, exact: true })).toContainText(String(env.totalGpus), { timeout: 30_000 });
  await expect(card).toContainText(`${env.maxGpusPerUser} GPUs at a time (QOS)`);

  // Its GPU board: Bob's job is there, read-only; Alice's plain job is hers but no Benchtop session.
  const board = page.getByRole('table', { name: `GPU jobs of ${hostId}` });
  await expect(board.getByRole('row', { name: `Job ${bobJob}` })).toContainText(`${bob.name}`);
  await expect(board.getByRole('row', { name: `Job ${bobJob}` })).toContainText('read-only');
  await expect(board.getByRole('row', { name: `Job ${bobJob}` }).getByRole('button')).toHaveCount(0);
  await expect(board.getByRole('row', { name: `Job ${blocker}` })).toContainText(`${alice.name} (you)`);
  await shootBothThemes(page, 'hosts-slurm-cluster');

  // Welcome → start on the cluster with one GPU and a time limit.
  await nav.getByRole('button', { name: 'Welcome' }).click();
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  const start = page.getByRole('form', { name: 'Start on a Slurm cluster' });
  await expect(start.getByLabel('Cluster')).toHaveValue(hostId);
  await start.getByLabel('GPUs').fill('1');
  await start.getByLabel('Time limit').selectOption({ label: '30 min' });
  // The partition's limit bounds the choices (4 h here): a day is not offered.
  await expect(start.getByLabel('Time limit').getByRole('option', { name: '1 day' })).toHaveCount(0);
  await shootBothThemes(page, 'welcome-slurm-start');
  await start.getByRole('button', { name: 'Start on cluster' }).click();

  // Sessions: the job waits, and says why in words (Alice's QOS is used up by her own plain job).
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeVisible();
  const sessionName = `${name} on ${hostId}`;
  const session = page.getByRole('listitem', { name: sessionName });
  await expect(session.getByLabel(`Queue of ${sessionName}`)).toContainText('over your GPU quota (QOS)', { timeout: 30_000 });
  await expect(session.getByRole('button', { name: `Open ${sessionName}` })).toBeDisabled();
  await shootBothThemes(page, 'sessions-slurm-pending');

  // Sync now on the card: notebooks written here reach the cluster folder; deleting them all asks first.
  const folder = `${alice.sharedDir}/${name}/notebooks`;
  const extra = Array.from({ length: 6 }, (_, i) => `e2e-${i}.ipynb`);
  for (const n of extra) writeFileSync(join(project.dir, 'notebooks', n), `{"cells": ["${n}"]}`);
  const syncNow = session.getByRole('button', { name: `Sync now ${sessionName}` });
  await syncNow.click();
  // (The background sync of a queued session may have carried some of them already.)
  await expect(session.getByRole('status').filter({ hasText: 'Synced:' })).toBeVisible({ timeout: 60_000 });
  expect((await onLogin(env, alice, `ls '${folder}'`)).stdout).toContain('e2e-5.ipynb');
  for (const n of extra) rmSync(join(project.dir, 'notebooks', n));
  await syncNow.click();
  const massDelete = session.getByRole('alert').filter({ hasText: 'would delete' });
  await expect(massDelete).toContainText('Nothing was synced or deleted', { timeout: 60_000 });
  expect((await onLogin(env, alice, `ls '${folder}'`)).stdout).toContain('e2e-5.ipynb');
  await massDelete.getByRole('button', { name: 'Delete them and sync…' }).click();
  await page.getByRole('dialog', { name: `Delete files on ${hostId} and sync?` }).getByRole('button', { name: 'Delete them and sync' }).click();
  await expect(session.getByRole('status').filter({ hasText: 'Synced:' })).toContainText(`${extra.length} deleted`, { timeout: 60_000 });
  expect((await onLogin(env, alice, `ls '${folder}'`)).stdout).not.toContain('e2e-5.ipynb');

  // Project → Recently removed lists what the sync removed in the cluster folder, and restores it.
  await nav.getByRole('button', { name: 'Project' }).click();
  const removed = page.getByRole('table', { name: 'Recently removed notebooks' }).getByRole('row').filter({ hasText: 'e2e-3.ipynb' }).filter({ hasText: hostId });
  await expect(removed).toContainText('deleted', { timeout: 30_000 });
  await removed.getByRole('button', { name: 'Restore e2e-3.ipynb' }).click();
  await expect(removed).toHaveCount(0);
  expect(readFileSync(join(project.dir, 'notebooks', 'e2e-3.ipynb'), 'utf8')).toBe('{"cells": ["e2e-3.ipynb"]}');
  await nav.getByRole('button', { name: 'Sessions' }).click();

  // Her plain job ends: Slurm runs the session by itself; the card turns ready, with a notification.
  await onLogin(env, alice, `scancel ${blocker}`);
  const open = session.getByRole('button', { name: `Open ${sessionName}` });
  await expect(open).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByRole('status', { name: 'Cluster session started' })).toContainText(`${name} left ${hostId}'s queue`);
  await expect.poll(async () => (await app.notified()).map((n) => n.body).join('\n'), { timeout: 15_000 }).toContain(`Your session ${name} started`);
  await expect(session.getByLabel(`Time left of ${sessionName}`)).toHaveText(/^(2\d|30) min left$/);
  await expect(session).toContainText(/bt-node\d:\d/);

  await open.click();
  await expect.poll(async () => (await app.opened()).filter((o) => o.kind === 'notebook').length, { timeout: 30_000 }).toBe(1);
  const notebook = new URL((await app.opened()).find((o) => o.kind === 'notebook')!.url);
  expect(notebook.hostname).toBe('127.0.0.1');
  const status = await fetch(`${notebook.origin}/api/status?no_track_activity=1`, { headers: { authorization: `token ${notebook.searchParams.get('token')}` } });
  expect(status.status).toBe(200);
  await shootBothThemes(page, 'sessions-slurm-ready');

  // Extend asks Slurm for more time; this cluster, like most, lets only administrators lengthen a job.
  await session.getByRole('button', { name: `Extend ${sessionName}` }).click();
  const refused = page.getByRole('alert', { name: 'Error SLURM_SUBMIT_REFUSED' });
  await expect(refused).toContainText('refused the new time limit');
  await expect(refused).toContainText('start a new session with a longer --time');
  await refused.getByRole('button', { name: 'Dismiss' }).click();

  // The board shows the session as Alice's with Cancel; Bob's job still has no controls.
  await nav.getByRole('button', { name: 'Hosts' }).click();
  const jobId = ((await board.getByRole('row').filter({ hasText: `benchtop-${name}` }).getAttribute('aria-label')) ?? '').replace(/^Job /, '');
  expect(jobId).toMatch(/^\d+$/);
  await expect(board.getByRole('row', { name: `Job ${jobId}` }).getByRole('button', { name: `Cancel job ${jobId}` })).toBeVisible();
  await expect(board.getByRole('row', { name: `Job ${bobJob}` }).getByRole('button')).toHaveCount(0);

  // Cancel asks first, then scancel ends the job.
  await nav.getByRole('button', { name: 'Sessions' }).click();
  await session.getByRole('button', { name: `Cancel ${sessionName}` }).click();
  const confirm = page.getByRole('dialog', { name: `Cancel ${sessionName}?` });
  await expect(confirm).toContainText('Running kernels');
  await confirm.getByRole('button', { name: 'Cancel job' }).click();
  // Slurm keeps a cancelled job COMPLETING while the Epilog removes its container: longer on a busy machine.
  await expect(session).toContainText('ended: cancelled', { timeout: 60_000 });
  await expect.poll(async () => (await onLogin(env, alice, `squeue --noheader --states=RUNNING,PENDING --jobs=${jobId} 2>/dev/null`)).stdout.trim(), { timeout: 30_000 }).toBe('');
});

test('with a cluster as the default target, Welcome\'s one Start button submits the job there and Sessions follows it', async ({ launch }) => {
  test.setTimeout(120_000);
  const env = cluster!;
  const alice = user('btalice');
  sshDir = mkdtempSync(join(tmpdir(), 'bt-e2e-slurm-'));
  const knownHosts = join(sshDir, 'known_hosts');
  writeFileSync(join(sshDir, 'config'), '');
  const fixture = await makeProject({ version: env.image.split(':').pop() });
  const name = `slurm-e2e-${randomBytes(3).toString('hex')}`;
  writeFileSync(fixture.devcontainerPath, readFileSync(fixture.devcontainerPath, 'utf8').replace('"name": "basic-analysis"', `"name": "${name}"`));
  project = { ...fixture, name };

  const app = await launch({ project: project.dir, env: { BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: join(sshDir, 'config'), BENCHTOP_USER_NAME: alice.name } });
  const { page } = app;
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Hosts' }).click();
  const hostId = await addCluster(page, env, alice, knownHosts);

  // Settings → Default target: the cluster.
  await nav.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Default target').selectOption(hostId);
  const sessionsForm = page.getByRole('form', { name: 'Sessions' });
  await sessionsForm.getByRole('button', { name: 'Save' }).click();
  await expect(sessionsForm.getByText('Saved.')).toBeVisible();

  // Welcome → Start (the one button, not the cluster form): a job on the cluster, followed on Sessions.
  await nav.getByRole('button', { name: 'Welcome' }).click();
  await page.getByRole('button', { name: 'Open project folder…' }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sessions' })).toBeVisible({ timeout: 60_000 });
  const session = page.getByRole('listitem', { name: `${name} on ${hostId}`, exact: true });
  await expect(session).toContainText(/\((Slurm: )?(PENDING|RUNNING|CONFIGURING)\)/, { timeout: 30_000 });
  await expect.poll(async () => (await onLogin(env, alice, `squeue --noheader --me --name=benchtop-${name} --format=%T`)).stdout.trim(), { timeout: 30_000 }).toMatch(/^(PENDING|RUNNING|CONFIGURING)$/);
  expect(await page.getByRole('alert').allTextContents()).toEqual([]);
});
