import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { sshHostEnv } from '../support/ssh-host';

const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bt-test-cli-remote-'));

/** The CLI from source with its own settings and SSH files (ssh2 and dockerode load on first use). */
const benchtop = (args: string[]) =>
  runCli('source', args, {
    env: { BENCHTOP_HOME: join(dir, 'home'), BENCHTOP_KNOWN_HOSTS: join(dir, 'known_hosts'), BENCHTOP_SSH_CONFIG: join(dir, 'ssh_config'), SSH_AUTH_SOCK: undefined, BENCHTOP_BROWSER: 'none' },
    cwd: root,
  });

describe('benchtop engine --target HOST', () => {
  const ssh = sshHostEnv();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reaches the host’s engine over SSH in a fresh process, and says why when the host refuses the key', async () => {
    const add = await benchtop(['host', 'add', `${ssh.user}@${ssh.host}`, '--identity', ssh.identityFile, '--docker-socket', ssh.dockerSocket, '--trust', ssh.hostKeyFingerprint, '--json']);
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ status: 'added', host: { id: ssh.host, status: 'ok' } });

    const engine = await benchtop(['engine', '--target', ssh.host, '--json']);
    expect(engine.code).toBe(0);
    expect(JSON.parse(engine.stdout)).toMatchObject({
      target: ssh.host,
      endpoint: { kind: 'ssh', address: `${ssh.user}@${ssh.host}:${ssh.port}` },
      engineKind: 'docker',
      dockerRootDir: expect.stringContaining('gpuhost'),
    });
    expect((await benchtop(['host', 'rm', ssh.host, '--json'])).code).toBe(0);

    const refused = await benchtop(['host', 'add', `${ssh.user}@${ssh.host}`, '--identity', ssh.unauthorizedIdentityFile, '--docker-socket', ssh.dockerSocket, '--trust', ssh.hostKeyFingerprint, '--json']);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'HOST_AUTH_FAILED' } });
  });
});
