import { readFileSync } from 'node:fs';
import type { SlurmEnv } from '../test/slurm-env/support';
import { testEnv } from '../test/support/env';
import { expect, test } from './support/app';
import { callBridge } from './support/bridge-call';
import { teamLinkFixture, type TeamLinkFixture } from './support/team-link';

// A benchtop://join link whose team file lists the real test Slurm cluster: the consent dialog names
// it as a Slurm cluster with its login node and fingerprint; confirming adds it as a cluster logged
// in as the analyst (here the ssh config's User), trusting exactly that key. Team file on loopback.
const cluster = (testEnv() as unknown as { slurm?: SlurmEnv | null }).slurm ?? undefined;
let fx: TeamLinkFixture | undefined;

test.afterEach(async () => {
  await fx?.close();
});

test('a join link shows the team\'s Slurm cluster, then adds it trusting exactly its listed key', async ({ launch }) => {
  test.skip(!cluster, '.test-env/env.json has no "slurm" cluster (scripts/test-env/slurm.sh did not set one up).');
  test.setTimeout(120_000);
  const env = cluster!;
  const alice = env.users.find((u) => u.name === 'btalice')!;
  const address = `${env.login.host}:${env.login.port}`;
  fx = await teamLinkFixture({
    name: 'Cluster team',
    hosts: [{ id: 'team-hpc', kind: 'slurm', address, fingerprints: [env.login.hostKeyFingerprint], slurm: { sharedDir: `${env.sharedDir}/{user}`, runtime: env.runtime } }],
    defaultTarget: 'team-hpc',
    slurm: { partition: env.partition, account: env.account, qos: env.qos },
  }, `Host ${env.login.host}\n  User ${alice.name}\n  IdentityFile ${alice.key}\n  IdentitiesOnly yes\n`);
  const { knownHosts } = fx;

  const app = await launch({ env: { BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: fx.sshConfig } });
  const { page } = app;
  await callBridge(app, 'linkOpen', { url: fx.link });
  const dialog = page.getByRole('dialog', { name: 'Join Cluster team?' });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  const row = dialog.getByRole('table', { name: 'Hosts that will be added' }).getByRole('row', { name: /Slurm cluster team-hpc/ });
  await expect(row).toContainText(address);
  await expect(row).toContainText(env.login.hostKeyFingerprint);
  await expect(dialog.getByRole('list', { name: 'What will happen' })).toContainText(`Add Slurm cluster team-hpc (login node ${address}, as you), trusting only key ${env.login.hostKeyFingerprint}`);
  expect(readFileSync(knownHosts, 'utf8')).toBe('');

  await dialog.getByRole('button', { name: 'Confirm and join' }).click();
  await expect(dialog.getByRole('status')).toHaveText('You joined Cluster team.', { timeout: 60_000 });
  await expect(dialog).toContainText('team-hpc: trusted');
  expect(readFileSync(knownHosts, 'utf8')).toContain(env.login.knownHostsLine.split(' ').slice(1).join(' '));
  await dialog.getByRole('button', { name: 'Done' }).click();

  const hosts = await callBridge(app, 'hostList');
  expect(hosts).toEqual([expect.objectContaining({ kind: 'slurm', spec: `slurm://${alice.name}@${address}`, user: alice.name })]);
  for (const h of hosts) await callBridge(app, 'hostRemove', { hostId: h.id });
});
