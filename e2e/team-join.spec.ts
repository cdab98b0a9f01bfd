import { readFileSync } from 'node:fs';
import { sshHostEnv } from '../test/support/ssh-host';
import { expect, test } from './support/app';
import { callBridge } from './support/bridge-call';
import { shootBothThemes } from './support/screenshots';
import { teamLinkFixture, type TeamLinkFixture } from './support/team-link';

// A benchtop://join link: the consent dialog lists the team's host with the key fingerprint the
// lead wrote down; confirming trusts exactly that key (the real SSH test host's), and Settings then
// shows the team's hosts. The team file is served on loopback.
let fx: TeamLinkFixture | undefined;

test.afterEach(async () => {
  await fx?.close();
});

test('a join link shows the team hosts and their fingerprints, then trusts exactly those', async ({ launch }) => {
  test.setTimeout(120_000);
  const host = sshHostEnv();
  fx = await teamLinkFixture(
    { name: 'GPU team', hosts: [{ id: 'team-gpu', address: `${host.user}@${host.host}`, dockerSocket: host.dockerSocket, fingerprints: [host.hostKeyFingerprint] }] },
    `Host ${host.host}\n  IdentityFile ${host.identityFile}\n  IdentitiesOnly yes\n`);
  const { knownHosts } = fx;

  const app = await launch({ env: { BENCHTOP_KNOWN_HOSTS: knownHosts, BENCHTOP_SSH_CONFIG: fx.sshConfig } });
  const { page } = app;
  await callBridge(app, 'linkOpen', { url: fx.link });
  const dialog = page.getByRole('dialog', { name: 'Join GPU team?' });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  const hosts = dialog.getByRole('table', { name: 'Hosts that will be added' });
  await expect(hosts).toContainText(`${host.user}@${host.host}`);
  await expect(hosts).toContainText(host.hostKeyFingerprint);
  expect(readFileSync(knownHosts, 'utf8')).toBe('');
  await shootBothThemes(page, 'link-join-consent');

  await dialog.getByRole('button', { name: 'Confirm and join' }).click();
  await expect(dialog.getByRole('status')).toHaveText('You joined GPU team.', { timeout: 60_000 });
  await expect(dialog).toContainText('team-gpu: trusted');
  expect(readFileSync(knownHosts, 'utf8')).toContain(host.knownHostsLine.split(' ').slice(1).join(' '));
  await dialog.getByRole('button', { name: 'Done' }).click();

  // Settings now shows the team's hosts; joining again leaves the added host as it is.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Team hosts' });
  await expect(section.getByRole('table', { name: 'Team hosts' })).toContainText(host.hostKeyFingerprint);
  await section.getByRole('button', { name: 'Join the team hosts' }).click();
  await expect(section.getByRole('table', { name: 'Team hosts' })).toContainText('added');
  for (const h of await callBridge(app, 'hostList')) await callBridge(app, 'hostRemove', { hostId: h.id });
});
