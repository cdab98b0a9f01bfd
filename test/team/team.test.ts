import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { dispatch } from '../../src/main/core/api/dispatch';
import { parseTeamFile } from '../../src/main/core/team/file';
import { readTeamSource } from '../../src/main/core/team/load';
import { hostsFixture } from '../hosts/support';
import { testCore, thrown } from '../project/support';
import { escapeRegExp } from '../support/regexp';

/**
 * The team file: validated with errors that name the file, line and key; layered team → user →
 * project with each value's origin; fetched from a URL; and its hosts added with their keys trusted
 * only by the fingerprints it lists (against the real SSH test host).
 */
const FP = `SHA256:${'A'.repeat(43)}`;
const TEAM = {
  name: 'Data team',
  registry: '127.0.0.1:5000',
  hosts: [{ id: 'gpu-box', address: 'analyst@gpu-box.example.com:2222', fingerprints: [FP] }],
  cloud: { project: 'team-analysis', zones: ['europe-west4-a'] },
  defaultTarget: 'gpu-box',
  idleMinutes: 30,
  gpuPolicy: { maxGpusPerUser: 2, defaultLeaseHours: 8, maxLeaseHours: 72 },
  slurm: { partition: 'gpu', account: 'team', qos: 'gpu-user' },
};

const core = testCore();
const servers: Server[] = [];
afterAll(async () => {
  await core.close();
  for (const s of servers) s.close();
});

async function projectWith(team: unknown, devcontainer: unknown = { image: 'ubuntu:24.04' }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bt-test-team-'));
  await mkdir(join(dir, '.devcontainer'));
  await mkdir(join(dir, '.benchtop'));
  await writeFile(join(dir, '.devcontainer', 'devcontainer.json'), JSON.stringify(devcontainer));
  if (team !== undefined) await writeFile(join(dir, '.benchtop', 'team.json'), typeof team === 'string' ? team : JSON.stringify(team, null, 2));
  return dir;
}

describe('reading a team file', () => {
  it('reads every key (comments allowed)', () => {
    expect(parseTeamFile(`// shared by the lead\n${JSON.stringify(TEAM)}`, 'team.json')).toEqual({ source: 'team.json', ...TEAM });
  });

  it.each([
    [{ ...TEAM, registy: 'x' }, '"registy" is not a team file setting'],
    [{ ...TEAM, hosts: [{ id: 'gpu-box', address: 'gpu-box' }] }, '"hosts[0].fingerprints" must list the host\'s key fingerprints'],
    [{ ...TEAM, hosts: [{ id: 'gpu-box', address: 'gpu-box', fingerprints: ['MD5:aa'] }] }, '"hosts[0].fingerprints[0]" is not valid'],
    [{ ...TEAM, defaultTarget: 'tpu-box' }, '"defaultTarget" must be "local" or the id of a host listed here'],
    [{ ...TEAM, gpuPolicy: { defaultLeaseHours: 80, maxLeaseHours: 72 } }, '"gpuPolicy.defaultLeaseHours" (80) is more than maxLeaseHours (72)'],
    [{ ...TEAM, cloud: { zones: ['moon-base'] } }, '"cloud.zones[0]" is not valid'],
    [{ ...TEAM, slurm: { partition: 'gpu; rm -rf ~' } }, '"slurm.partition" is not valid'],
    [{ ...TEAM, slurm: { reservation: 'x' } }, '"slurm.reservation" is not'],
  ])('refuses %j with TEAM_FILE_INVALID naming the path', async (team, problem) => {
    const dir = await projectWith(team);
    const error = await thrown(() => core.team.view(dir));
    expect(error.code).toBe('TEAM_FILE_INVALID');
    expect(error.message).toMatch(new RegExp(`^${escapeRegExp(join(dir, '.benchtop', 'team.json'))}:\\d+: `));
    expect(error.message).toContain(problem);
  });

  it('refuses broken JSON with the line and column', async () => {
    const error = await thrown(async () => core.team.view(await projectWith('{ "name": "x",, }')));
    expect(error).toMatchObject({ code: 'TEAM_FILE_INVALID', message: expect.stringMatching(/team\.json:1:\d+: expected/) });
  });
});

describe('layers: team → user → project', () => {
  it('says where each effective value came from', async () => {
    const c = testCore();
    const dir = await projectWith(TEAM, { image: 'ubuntu:24.04', customizations: { benchtop: { idleMinutes: 15 } } });
    c.settings.set('defaultTarget', 'local'); // left at the default: the team's shows through
    let values = (await c.team.view(dir)).values;
    const of = (key: string) => values.find((v) => v.key === key);
    expect(of('defaultTarget')).toMatchObject({ value: 'gpu-box', source: 'team', from: join(dir, '.benchtop', 'team.json') });
    expect(of('idleMinutes')).toMatchObject({ value: '15', source: 'project', from: join(dir, '.devcontainer', 'devcontainer.json') });
    expect(of('registry')).toMatchObject({ value: '127.0.0.1:5000', source: 'team' });
    expect(of('cloud.zones')).toMatchObject({ value: 'europe-west4-a', source: 'team' });
    expect(of('gpuPolicy.maxGpusPerUser')).toMatchObject({ value: '2', source: 'team' });
    expect(of('hosts.gpu-box')).toMatchObject({ source: 'team', value: `analyst@gpu-box.example.com:2222 (${FP})` });

    c.settings.set('defaultTarget', 'my-box');
    c.settings.set('idleMinutes', 90);
    values = (await c.team.view()).values; // no project: the user's values over the defaults
    expect(of('defaultTarget')).toMatchObject({ value: 'my-box', source: 'user', from: c.settings.path });
    expect(of('idleMinutes')).toMatchObject({ value: '90', source: 'user' });
    expect(of('registry')).toMatchObject({ source: 'default' });
    // Through the handlers, as the Settings screen asks.
    expect(await dispatch(createHandlers(c), 'teamSettings', { dir })).toMatchObject({ result: { team: { name: 'Data team' } } });
    await c.close();
  });

  it('reads the team file from a URL in the settings (http only on loopback)', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/team.json' ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(TEAM));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/team.json`;
    const c = testCore();
    c.settings.set('team', url);
    expect((await c.team.view()).team).toMatchObject({ source: url, name: 'Data team' });
    expect((await thrown(() => readTeamSource(url.replace('team.json', 'nope')))).message).toContain('answered HTTP 404');
    expect((await thrown(() => readTeamSource('http://team.example.com/team.json'))).message).toContain('is not https');
    await c.close();
  });
});

describe('joining the team\'s hosts (real SSH test host)', { timeout: 120_000 }, () => {
  it('trusts a host key only when the team file lists its fingerprint', async () => {
    const fx = hostsFixture({ knownHosts: '' });
    const ssh = fx.ssh;
    await writeFile(fx.sshConfig, `Host ${ssh.host}\n  IdentityFile ${ssh.identityFile}\n`);
    const host = (fingerprint: string) => ({ id: 'gpu', address: `${ssh.user}@${ssh.host}${ssh.port === 22 ? '' : `:${ssh.port}`}`, fingerprints: [fingerprint], dockerSocket: ssh.dockerSocket });
    try {
      const wrong = await projectWith({ hosts: [host(FP)] });
      const [refused] = await fx.core.team.joinHosts(wrong);
      expect(refused).toMatchObject({ id: 'gpu', status: 'key-not-listed', fingerprint: ssh.hostKeyFingerprint });
      expect(await readFile(fx.knownHosts, 'utf8')).toBe('');

      const right = await projectWith({ hosts: [host(ssh.hostKeyFingerprint)] });
      const [joined] = await fx.core.team.joinHosts(right);
      expect(joined).toMatchObject({ id: 'gpu', status: 'trusted' });
      expect(await readFile(fx.knownHosts, 'utf8')).toContain(ssh.knownHostsLine.split(' ').slice(1).join(' '));
    } finally {
      await fx.close();
    }
  });
});
