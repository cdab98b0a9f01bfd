import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GpuLease } from '../src/shared/contract/hosts';
import { analystAccounts, sshHostEnv, type SshAccount } from '../test/support/ssh-host';
import { expect, test, type AppHandle } from './support/app';
import { callBridge } from './support/bridge-call';

/**
 * Two people on the test host's four simulated cards: alice (this page's bridge) and bob (a second
 * bridge, his own settings home and SSH account). Claims go through the bridge (no full sessions):
 * alice's lease is short, so the host's own agent warns her before it ends, which is the banner.
 */
const ALICE_LEASE_HOURS = 0.03; // 108 s: the agent warns a quarter before (27 s), time enough to see it and Extend.

const ssh = sshHostEnv();
const sshDirs: string[] = [];
/** Owner ids of the two installs: afterAll removes whatever GPU records they left on the host. */
const owners: string[] = [];

test.afterAll(() => {
  // The in-test cleanup releases through the app; this is the net for a test that failed half way:
  // the host engine is reached directly (its socket is on this machine), only these owners' records.
  const docker = (...args: string[]) =>
    execFileSync('docker', args, { env: { ...process.env, DOCKER_HOST: `unix://${ssh.dockerSocket}` }, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const id of owners) {
    const containers = docker('ps', '-aq', '--filter', `label=dev.benchtop.owner=${id}`);
    if (containers.length) docker('rm', '-f', ...containers);
    const volumes = docker('volume', 'ls', '-q', '--filter', `label=dev.benchtop.owner=${id}`);
    if (volumes.length) docker('volume', 'rm', '-f', ...volumes);
  }
  for (const dir of sshDirs) rmSync(dir, { recursive: true, force: true });
});

/** A bridge for one analyst with the test host added (its key already known, as after a first trust). */
async function analyst(launch: (o: { env: Record<string, string> }) => Promise<AppHandle>, account: SshAccount, name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bt-e2e-ssh-'));
  sshDirs.push(dir);
  writeFileSync(join(dir, 'known_hosts'), `${ssh.knownHostsLine}\n`);
  const app = await launch({
    env: { BENCHTOP_USER_NAME: name, BENCHTOP_KNOWN_HOSTS: join(dir, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(dir, 'config') },
  });
  const added = await callBridge(app, 'hostAdd', {
    spec: `${account.user}@${ssh.host}:${ssh.port}`, identityFile: account.identityFile, dockerSocket: ssh.dockerSocket,
  });
  const hostId = added.status === 'added' ? added.host.id : (await callBridge(app, 'hostTrust', { hostId: added.hostId, fingerprint: added.fingerprint })).id;
  return { app, hostId };
}

test('the GPU board: two people’s leases, the queue, Extend, and the agent’s expiry warning as a banner', async ({ launch }) => {
  test.setTimeout(300_000);
  const [aliceAccount, bobAccount] = analystAccounts(ssh);
  const alice = await analyst(launch, aliceAccount, 'alice');
  const bob = await analyst(launch, bobAccount, 'bob');
  const made: { who: typeof alice; sessionId: string; queued: boolean }[] = [];
  try {
    const mine = await callBridge(alice.app, 'gpuClaim', { target: alice.hostId, count: 1, hours: ALICE_LEASE_HOURS });
    expect(mine.status).toBe('granted');
    made.push({ who: alice, sessionId: mine.sessionId, queued: false });
    const bobs = await callBridge(bob.app, 'gpuClaim', { target: bob.hostId, count: 2, hours: 1 });
    expect(bobs.status).toBe('granted');
    made.push({ who: bob, sessionId: bobs.sessionId, queued: false });
    // One card is left; bob asks for two more and waits in the host's queue.
    const waiting = await callBridge(bob.app, 'gpuClaim', { target: bob.hostId, count: 2, hours: 1, wait: true });
    made.push({ who: bob, sessionId: waiting.sessionId, queued: true });
    expect(waiting.status).toBe('queued');
    for (const l of (await callBridge(alice.app, 'gpuBoard', { target: alice.hostId })).cards.map((c) => c.lease)) {
      if (l?.ownerId && !owners.includes(l.ownerId)) owners.push(l.ownerId);
    }

    const { page } = alice.app;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Hosts' }).click();
    const board = page.getByRole('region', { name: `GPUs of ${alice.hostId}` });
    const cards = board.getByRole('table', { name: `Cards of ${alice.hostId}` });
    const rows = cards.getByRole('row', { name: /^GPU \d$/ });
    await expect(rows).toHaveCount(4, { timeout: 60_000 });

    const aliceRow = rows.filter({ hasText: mine.sessionId });
    await expect(aliceRow).toHaveCount(1);
    await expect(aliceRow.getByRole('cell').nth(1)).toHaveText('alice (you)');
    const bobRows = rows.filter({ hasText: bobs.sessionId });
    await expect(bobRows).toHaveCount(2);
    for (const row of await bobRows.all()) {
      await expect(row.getByRole('cell').nth(1)).toHaveText('bob');
      // Bob's lease is his to extend or release: nothing to press on his rows.
      await expect(row.getByRole('button')).toHaveCount(0);
    }
    await expect(rows.filter({ hasText: 'free' })).toHaveCount(1);

    const queue = board.getByRole('table', { name: `GPU queue of ${alice.hostId}` });
    const place = queue.getByRole('row', { name: 'Queue position 1' });
    await expect(place).toContainText(waiting.sessionId);
    await expect(place.getByRole('cell').nth(1)).toHaveText('bob');
    await expect(place.getByRole('cell').nth(2)).toHaveText('2');
    await expect(place.getByRole('button')).toHaveCount(0);

    // The host's agent warns alice before her short lease ends; the app shows it as the banner.
    const banner = page.getByRole('status', { name: 'GPU notices' });
    await expect(banner).toContainText(`The lease on`, { timeout: 105_000 });
    await expect(banner).toContainText(`for ${mine.sessionId} expires at`);

    // Extend: the lease runs for the host's default length from now, so the expiry shown moves later.
    const expires = aliceRow.getByRole('cell').nth(4);
    const before = (await expires.textContent()) ?? '';
    const expiresAt = async () => {
      const lease = (await callBridge(alice.app, 'gpuBoard', { target: alice.hostId })).cards.find((c) => c.lease?.sessionId === mine.sessionId)?.lease;
      return Date.parse((lease as GpuLease).expires ?? '');
    };
    const endedAt = await expiresAt();
    await aliceRow.getByRole('button', { name: `Extend ${mine.sessionId}` }).click();
    await expect(expires).not.toHaveText(before, { timeout: 30_000 });
    expect(await expiresAt()).toBeGreaterThan(endedAt);
    await expect(page.getByRole('alert')).toHaveCount(0);
  } finally {
    for (const m of made.reverse()) {
      const call = m.queued
        ? callBridge(m.who.app, 'gpuQueueCancel', { target: m.who.hostId, sessionId: m.sessionId })
        : callBridge(m.who.app, 'gpuRelease', { target: m.who.hostId, sessionId: m.sessionId });
      // afterAll removes what is left by owner; a failed or slow release here must not hide the test's
      // own result (a loaded run once spent 150 s in these calls and timed the passed test out).
      let timer: NodeJS.Timeout | undefined;
      const slow = new Promise<void>((resolve) => { timer = setTimeout(() => { console.warn(`cleanup of ${m.sessionId}: no answer after 20 s; afterAll removes it`); resolve(); }, 20_000); });
      await Promise.race([call.catch((error: unknown) => console.warn(`cleanup of ${m.sessionId}: ${String(error)}`)), slow]);
      clearTimeout(timer);
    }
  }
});
