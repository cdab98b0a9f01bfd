/**
 * Team file values acted on: the default target, the GPU policy defaults, and the team's hosts
 * trusted by exactly the fingerprints listed — through a benchtop://join link whose team file is
 * served on loopback, against the real SSH test host.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { effectiveDefaultTarget, policyChangeWithTeamDefaults, teamPolicyDefaults } from '../../src/main/core/team/effective';
import type { TeamFile } from '../../src/shared/contract/team';
import type { HostPolicy } from '../../src/shared/contract/hosts';
import { hostsFixture, type HostsFixture } from '../hosts/support';
import { makeProject } from '../session/support';

const team = (extra: Partial<TeamFile> = {}): TeamFile => ({ source: 'team.json', hosts: [], ...extra });
const BUILT_IN: HostPolicy = { maxGpusPerUser: 2, leaseHours: 8, maxLeaseHours: 72, idleMinutes: 60, gpuIdleUtilPercent: 5 };

describe('team file values where the user set nothing', () => {
  it('default target: the user\'s own, else the team\'s, else local', () => {
    expect(effectiveDefaultTarget('local', team({ defaultTarget: 'gpu-box' }))).toBe('gpu-box');
    expect(effectiveDefaultTarget('my-box', team({ defaultTarget: 'gpu-box' }))).toBe('my-box');
    expect(effectiveDefaultTarget('local', team())).toBe('local');
    expect(effectiveDefaultTarget('local', undefined)).toBe('local');
  });

  it('GPU policy: a host on the built-in defaults takes the team\'s for what the admin did not give', () => {
    const t = team({ gpuPolicy: { maxGpusPerUser: 1, defaultLeaseHours: 4, utilizationThreshold: 10 } });
    expect(teamPolicyDefaults(t)).toEqual({ maxGpusPerUser: 1, leaseHours: 4, gpuIdleUtilPercent: 10 });
    expect(policyChangeWithTeamDefaults(BUILT_IN, { leaseHours: 6 }, t)).toEqual({ maxGpusPerUser: 1, leaseHours: 6, gpuIdleUtilPercent: 10 });
    // A host with its own policy keeps it: only the admin's change applies.
    expect(policyChangeWithTeamDefaults({ ...BUILT_IN, setBy: 'admin', setAt: '2026-01-01T00:00:00Z' }, { leaseHours: 6 }, t)).toEqual({ leaseHours: 6 });
  });
});

describe('joining a team', () => {
  let fx: HostsFixture;
  let server: Server;
  let base: string;
  const files = new Map<string, string>();

  beforeAll(async () => {
    const probe = hostsFixture();
    const ssh = probe.ssh;
    await probe.close();
    // No known_hosts entry: the host's key is trusted only because the team file lists it.
    fx = hostsFixture({ knownHosts: '', sshConfig: `Host ${ssh.host}\n  IdentityFile ${ssh.identityFile}\n  IdentitiesOnly yes\n` });
    const host = { address: `${ssh.user}@${ssh.host}`, dockerSocket: ssh.dockerSocket };
    files.set('/good.json', JSON.stringify({ name: 'GPU team', registry: '127.0.0.1:5000', hosts: [{ id: 'team-gpu', ...host, fingerprints: [ssh.hostKeyFingerprint] }], defaultTarget: 'local' }));
    files.set('/wrong.json', JSON.stringify({ name: 'Wrong keys', hosts: [{ id: 'team-gpu', ...host, fingerprints: [ssh.ecdsaFingerprint] }] }));
    server = createServer((req, res) => {
      const body = files.get(req.url ?? '');
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(body ?? '');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await fx.close();
    await new Promise((done) => server.close(done));
  });

  it('a join link whose team file lists another key trusts nothing', async () => {
    const api = createHandlers(fx.core);
    const plan = await api.linkPlan({ opId: 'join-wrong', url: `benchtop://join?team=${base}/wrong.json` });
    const done = await api.linkConfirm({ opId: 'join-wrong-confirm', planId: plan.planId });
    expect(done.hosts).toEqual([expect.objectContaining({ id: 'team-gpu', status: 'key-not-listed' })]);
    expect(readFileSync(fx.knownHosts, 'utf8')).toBe('');
    // The host waits, untrusted, for the user to judge its key (Hosts shows it); this user removes it.
    const pending = fx.core.settings.get('hosts');
    expect(pending).toHaveLength(1);
    await api.hostRemove({ hostId: pending[0]?.id ?? '' });
  }, 60_000);

  it('a join link shows the team\'s hosts and fingerprints, then trusts exactly those', async () => {
    const api = createHandlers(fx.core);
    const plan = await api.linkPlan({ opId: 'join-good', url: `benchtop://join?team=${base}/good.json` });
    expect(plan).toMatchObject({ teamName: 'GPU team', registry: '127.0.0.1:5000', hosts: [{ id: 'team-gpu', fingerprints: [fx.ssh.hostKeyFingerprint] }] });
    expect(fx.core.settings.get('team')).toBe(`${base}/wrong.json`);
    const done = await api.linkConfirm({ opId: 'join-good-confirm', planId: plan.planId });
    expect(done.hosts).toEqual([expect.objectContaining({ id: 'team-gpu', status: 'trusted' })]);
    expect(fx.core.settings.get('team')).toBe(`${base}/good.json`);
    expect(readFileSync(fx.knownHosts, 'utf8')).toContain(fx.ssh.knownHostsLine.split(' ').slice(1).join(' '));
    expect(fx.core.settings.get('hosts')).toHaveLength(1);
    // Joining again leaves the added host as it is.
    expect(await api.teamJoinHosts({})).toEqual({ hosts: [{ id: 'team-gpu', status: 'added' }] });
    expect(fx.core.settings.get('hosts')).toHaveLength(1);
  }, 60_000);

  it('sessions start on the project team file\'s default target when the user chose none', async () => {
    const project = makeProject();
    mkdirSync(join(project.dir, '.benchtop'));
    // The team calls the host team-gpu; this install added it under its own id.
    const hostId = fx.core.settings.get('hosts')[0]?.id ?? 'missing';
    writeFileSync(join(project.dir, '.benchtop', 'team.json'), JSON.stringify({ hosts: [{ id: 'team-gpu', address: `${fx.ssh.user}@${fx.ssh.host}`, fingerprints: [fx.ssh.hostKeyFingerprint] }], defaultTarget: 'team-gpu' }));
    expect(await fx.core.team.defaultTarget(project.dir)).toBe(hostId);
    fx.core.settings.set('defaultTarget', 'elsewhere');
    expect(await fx.core.team.defaultTarget(project.dir)).toBe('elsewhere');
    fx.core.settings.set('defaultTarget', 'local');
  });
});
