import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebooksVolumeName } from '../../src/main/core/sync/volume';
import { sshHostFixture, type HostsFixture } from '../hosts/support';
import { eventually, makeProject, pinnedRef, type TestProject } from '../session/support';
import { runCli } from '../support/cli';

const root = new URL('../..', import.meta.url).pathname;
const hostReady = existsSync(join(root, '.test-env/ssh-host.json')) && existsSync(join(root, '.test-env/env.json'));

interface ForwarderStatusJson {
  running: boolean;
  forwards: { target: string; localPort: number; remotePort: number }[];
}

describe.skipIf(!hostReady)('a host session\'s notebook URL, through the per-user forwarder', () => {
  let fx: HostsFixture;
  let target = '';
  let project: TestProject;
  let sessionId = '';
  let env: NodeJS.ProcessEnv = {};
  const benchtop = (...args: string[]) => runCli('source', args, { env, cwd: root });

  beforeAll(async () => {
    ({ fx, target } = await sshHostFixture(pinnedRef()));
    project = makeProject();
    // The user's own files (settings, known_hosts, ssh config) as the fixture made them; a quick
    // forwarder rhythm so its exit is seen soon after the session stops.
    env = {
      BENCHTOP_HOME: join(fx.dir, 'settings'), HOME: fx.dir, BENCHTOP_KNOWN_HOSTS: fx.knownHosts, BENCHTOP_SSH_CONFIG: fx.sshConfig,
      SSH_AUTH_SOCK: '', BENCHTOP_FORWARDER_CHECK_MS: '300', BENCHTOP_FORWARDER_LINGER_MS: '1000',
    };
  });

  afterAll(async () => {
    await benchtop('forwarder', 'stop');
    if (sessionId) await fx.core.sessions.remove(sessionId).catch((error: unknown) => console.warn(`removing ${sessionId}:`, error));
    const info = await fx.core.projects.read(project.dir).catch(() => undefined);
    if (info) await (await fx.core.engines.docker(target)).getVolume(notebooksVolumeName(info.dir, info.name)).remove().catch(() => undefined);
    await fx.close();
    rmSync(project.dir, { recursive: true, force: true });
  });

  it('answers after `up` has exited, is the one `ps` prints, and goes away with the session', async () => {
    const up = await benchtop('up', project.dir, '--target', target, '--no-open', '--verbose');
    expect(up.code, up.stderr).toBe(0);
    const url = new URL(up.stdout.trim());
    const token = url.searchParams.get('token') as string;
    expect(url.hostname).toBe('127.0.0.1');
    expect(token).toMatch(/^[0-9a-f]{32,}$/);
    sessionId = /Session (\S+) is ready/.exec(up.stderr)?.[1] as string;

    // `up` has exited: its own SSH connection is gone, the URL still answers (the forwarder carries it).
    const status = await fetch(new URL(`/api/status?token=${token}`, url));
    expect(status.status).toBe(200);
    const lab = await fetch(url);
    expect(lab.status).toBe(200);

    // `ps` (another process) shows the same address, and it answers too.
    const ps = JSON.parse((await benchtop('ps', '--json')).stdout) as { id: string; url?: string; hostPort?: number }[];
    const listed = ps.find((s) => s.id === sessionId);
    expect(listed?.hostPort).toBe(Number(url.port));
    expect(listed?.url).toBe(url.href);

    const forwarder = JSON.parse((await benchtop('forwarder', 'status', '--json')).stdout) as ForwarderStatusJson;
    expect(forwarder).toMatchObject({ running: true, forwards: [{ target, localPort: Number(url.port) }] });

    // Neither --verbose on stderr nor the log file ever holds the token.
    expect(up.stderr).toContain('api: call sessionUp');
    expect(up.stderr).not.toContain(token);
    const logFile = join(fx.dir, 'settings', 'logs', 'benchtop.log');
    expect(readFileSync(logFile, 'utf8')).toContain('forwarding 127.0.0.1:');
    expect(readFileSync(logFile, 'utf8')).not.toContain(token);

    expect((await benchtop('stop', sessionId)).code).toBe(0);
    // The session's port closes on the host: the forwarder drops it and, with nothing left, exits.
    await eventually(async () => {
      const now = JSON.parse((await benchtop('forwarder', 'status', '--json')).stdout) as ForwarderStatusJson;
      return now.running ? undefined : true;
    }, 500);
    await expect(fetch(url)).rejects.toThrow();
    expect(readFileSync(logFile, 'utf8')).toContain('forwarder exits: no session is forwarded');
    expect(readFileSync(logFile, 'utf8')).not.toContain(token);
  }, 240_000);
});
