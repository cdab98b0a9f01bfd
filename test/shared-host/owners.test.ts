import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src/shared/contract/sessions';
import { runCli } from '../support/cli';
import { testEnv } from '../support/env';
import { analystAccounts } from '../support/ssh-host';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { eventually, makeProject, opId, record, type TestProject } from '../session/support';

/** Two teammates (two settings homes, two accounts on the box) start the same project on one host. */
describe('a shared host with two owners', () => {
  const env = testEnv();
  const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
  const [aliceAccount, bobAccount] = analystAccounts();
  let alice: { fx: HostsFixture; target: string };
  let bob: { fx: HostsFixture; target: string };
  let project: TestProject;
  let hers: SessionInfo;
  let his: SessionInfo;

  beforeAll(async () => {
    alice = await sshHostFixture(image, aliceAccount);
    bob = await sshHostFixture(undefined, bobAccount);
    project = makeProject();
    // The same project folder on both "laptops": the case where ids without the owner collided.
    [hers, his] = await Promise.all([
      alice.fx.core.sessions.up(alice.fx.core.ops.create(opId()), project.dir, alice.target),
      bob.fx.core.sessions.up(bob.fx.core.ops.create(opId()), project.dir, bob.target),
    ]);
  }, 300_000);

  afterAll(async () => {
    const docker = await alice.fx.core.engines.docker(alice.target);
    const filters = { label: [`dev.benchtop.project=${project.dir}`] };
    for (const c of await docker.listContainers({ all: true, filters })) {
      await docker.getContainer(c.Id).remove({ force: true }).catch((e: unknown) => console.warn(`cleanup ${c.Id}: ${String(e)}`));
    }
    for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) {
      await docker.getVolume(v.Name).remove().catch((e: unknown) => console.warn(`cleanup ${v.Name}: ${String(e)}`));
    }
    await alice.fx.close();
    await bob.fx.close();
  });

  it('gives each teammate their own session, and shows the other’s read-only without its token', async () => {
    expect(hers).toMatchObject({ state: 'ready', mine: true, owner: { id: alice.fx.core.owner.id, name: aliceAccount.user } });
    expect(his).toMatchObject({ state: 'ready', mine: true, owner: { id: bob.fx.core.owner.id, name: bobAccount.user } });
    expect(his.id).not.toBe(hers.id);

    const seenByBob = (await bob.fx.core.sessions.list()).find((s) => s.id === hers.id);
    expect(seenByBob).toMatchObject({ mine: false, owner: { name: aliceAccount.user }, state: 'ready', target: bob.target, projectDir: project.dir });
    expect(seenByBob?.url).toBeUndefined();
    expect(seenByBob?.hostPort).toBeUndefined();
    const herToken = new URL(hers.url as string).searchParams.get('token') as string;
    expect(JSON.stringify(await bob.fx.core.sessions.list())).not.toContain(herToken);
  });

  it('answers NOT_OWNER for every action on a teammate’s session, from the core', async () => {
    const core = bob.fx.core;
    const refused = { code: 'NOT_OWNER', message: expect.stringContaining(aliceAccount.user) };
    await expect(core.sessions.open(hers.id, 'browser')).rejects.toMatchObject(refused);
    await expect(core.sessions.stop(hers.id)).rejects.toMatchObject(refused);
    await expect(core.sessions.restart(core.ops.create(opId()), hers.id)).rejects.toMatchObject(refused);
    await expect(core.sessions.remove(hers.id)).rejects.toMatchObject(refused);
    await expect(core.sessions.logs(core.ops.create(opId()), hers.id, false, 10)).rejects.toMatchObject(refused);
    await expect(core.sessions.watchStats(core.ops.create(opId()), hers.id)).rejects.toMatchObject(refused);
    await expect(core.lockfiles.drift(hers.id)).rejects.toMatchObject(refused);
    // Nothing happened to it.
    expect(await alice.fx.core.sessions.get(hers.id)).toMatchObject({ state: 'ready', url: hers.url });
  });

  // Five CLI runs, each a fresh process with its own SSH connection: slow on a busy machine.
  it('answers NOT_OWNER from the CLI, and `ps` shows whose session it is', async () => {
    const fx = bob.fx;
    const benchtop = (...args: string[]) => runCli('source', args, { env: { ...fx.env, BENCHTOP_HOME: dirname(fx.core.settings.path), SSH_AUTH_SOCK: undefined } });
    for (const args of [['stop', hers.id], ['rm', hers.id], ['open', hers.id], ['restart', hers.id]]) {
      const r = await benchtop(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('error[NOT_OWNER]');
      expect(r.stderr).toContain(aliceAccount.user);
    }
    const ps = await benchtop('ps');
    expect(ps.code).toBe(0);
    const row = ps.stdout.split('\n').find((l) => l.startsWith(hers.id)) ?? '';
    expect(row).toContain(aliceAccount.user);
    expect(row).not.toContain('http://');
    expect(ps.stdout.split('\n').find((l) => l.startsWith(his.id))).toContain('http://127.0.0.1:');
    // Five CLI runs, each a fresh process with its own SSH connection.
  }, 240_000);

  it('leaves a teammate’s session alone in its watchers (no sync of their notebooks)', async () => {
    // Bob's app started again: its watchers start before it hears of any session, as at app start.
    const core = bob.fx.reopen();
    const states = record(core, 'sessionState');
    core.start();
    // The watchers hear of both sessions (reconcile on watch), and follow only bob's own.
    await eventually(() => states.some((s) => s.id === hers.id) && core.syncWatcher.watching.includes(his.id));
    expect(core.syncWatcher.watching).not.toContain(hers.id);
    expect(states.filter((s) => s.id === hers.id).every((s) => !s.mine && s.url === undefined)).toBe(true);
  });

  it('keeps the session private on the box: another account gets 403 from its Jupyter without the token', async () => {
    const docker = await alice.fx.core.engines.docker(alice.target);
    const port = Number((await docker.getContainer(hers.id).inspect()).NetworkSettings.Ports['8888/tcp']?.[0]?.HostPort);
    expect(port).toBeGreaterThan(0);
    // Logged in as bob over real SSH, on the host itself, where 127.0.0.1 is everyone's.
    const curl = (path: string) => bob.fx.core.hosts.exec(bob.target, `id -un; curl -s -o /dev/null -w '%{http_code}' 'http://127.0.0.1:${port}${path}'`, 15_000);
    for (const path of ['/api/contents', '/api/kernels', '/api/sessions', '/api/contents?token=wrong']) {
      const r = await curl(path);
      expect(r.stdout.split('\n'), path).toEqual([bobAccount.user, '403']);
    }
    // The token is the lock, not the account: with it, the same request is answered.
    const herToken = new URL(hers.url as string).searchParams.get('token') as string;
    expect((await curl(`/api/contents?token=${herToken}`)).stdout.split('\n')[1]).toBe('200');
  });
});
