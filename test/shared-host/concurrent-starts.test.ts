import { afterAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/core';
import type { SessionInfo } from '../../src/shared/contract/sessions';
import { testEnv } from '../support/env';
import { analystAccounts } from '../support/ssh-host';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { docker, makeCore, makeProject, opId, removeProjectContainers, type TestProject } from '../session/support';

/** Eight Jupyters starting at once on a small machine take a while; slowness is the bench's business. */
const READY_TIMEOUT_MS = 300_000;

/** Starts four projects per user, all eight at the same moment; every start must end ready. */
async function startEight(users: { core: Core; target: string }[], projects: TestProject[]): Promise<SessionInfo[]> {
  for (const { core } of users) core.sessions.readyTimeoutMs = READY_TIMEOUT_MS;
  const starts = projects.map((p, i) => {
    const { core, target } = users[i % users.length];
    return core.sessions.up(core.ops.create(opId()), p.dir, target);
  });
  const results = await Promise.allSettled(starts);
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${projects[i].name}: ${(r.reason as { code?: string }).code ?? ''} ${(r.reason as Error).message}`] : []));
  expect(failures).toEqual([]);
  return results.map((r) => (r as PromiseFulfilledResult<SessionInfo>).value);
}

describe('concurrent starts never collide on a port', () => {
  const local: TestProject[] = [];
  const remote: TestProject[] = [];
  const cores: Core[] = [];
  const fixtures: HostsFixture[] = [];
  let hostTarget = '';

  afterAll(async () => {
    for (const p of local) await removeProjectContainers(p);
    if (fixtures[0]) {
      const d = await fixtures[0].core.engines.docker(hostTarget);
      for (const p of remote) {
        const filters = { label: [`dev.benchtop.project=${p.dir}`] };
        for (const c of await d.listContainers({ all: true, filters })) await d.getContainer(c.Id).remove({ force: true }).catch((e: unknown) => console.warn(`cleanup ${c.Id}: ${String(e)}`));
        for (const v of (await d.listVolumes({ filters })).Volumes ?? []) await d.getVolume(v.Name).remove().catch((e: unknown) => console.warn(`cleanup ${v.Name}: ${String(e)}`));
      }
    }
    await Promise.all(cores.map((c) => c.close()));
    await Promise.all(fixtures.map((f) => f.close()));
  });

  it('eight projects started at once on this computer by two users all become ready, each on its own port', async () => {
    const ana = makeCore({ userName: 'ana' });
    const ben = makeCore({ userName: 'ben' });
    cores.push(ana, ben);
    for (let i = 0; i < 8; i += 1) local.push(makeProject());
    const sessions = await startEight([{ core: ana, target: 'local' }, { core: ben, target: 'local' }], local);
    expect(sessions.map((s) => s.state)).toEqual(Array(8).fill('ready'));
    const ports = sessions.map((s) => s.hostPort);
    expect(new Set(ports).size).toBe(8);
    // Each answers its own token: the URL of one session does not open another.
    for (const s of sessions) expect((await fetch(s.url as string)).status).toBe(200);
    for (const s of sessions) {
      const published = (await docker.getContainer(s.id).inspect()).NetworkSettings.Ports['8888/tcp'];
      expect(published).toEqual([{ HostIp: '127.0.0.1', HostPort: String(s.hostPort) }]);
    }
  }, 600_000);

  it('eight projects started at once on the shared host by two users all become ready', async () => {
    const env = testEnv();
    const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
    const [aliceAccount, bobAccount] = analystAccounts();
    const alice = await sshHostFixture(image, aliceAccount);
    fixtures.push(alice.fx);
    const bob = await sshHostFixture(undefined, bobAccount);
    fixtures.push(bob.fx);
    hostTarget = alice.target;
    for (let i = 0; i < 8; i += 1) remote.push(makeProject());
    const sessions = await startEight([{ core: alice.fx.core, target: alice.target }, { core: bob.fx.core, target: bob.target }], remote);
    expect(sessions.map((s) => s.state)).toEqual(Array(8).fill('ready'));
    // The ports the host's engine gave out on its own 127.0.0.1: eight different ones.
    const d = await alice.fx.core.engines.docker(alice.target);
    const onHost = await Promise.all(sessions.map(async (s) => (await d.getContainer(s.id).inspect()).NetworkSettings.Ports['8888/tcp']?.[0]?.HostPort));
    expect(new Set(onHost).size).toBe(8);
  }, 600_000);
});
