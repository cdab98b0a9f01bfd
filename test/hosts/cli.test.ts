import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sshHostEnv } from '../support/ssh-host';
import { runCli } from '../support/cli';

const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bt-test-host-cli-'));
const knownHosts = join(dir, 'known_hosts');

/** Runs the CLI from source (the same main the bundle runs) with its own settings and SSH files. */
const benchtop = (args: string[], knownHostsFile = knownHosts) =>
  runCli('source', args, {
    env: { BENCHTOP_HOME: join(dir, 'home'), BENCHTOP_KNOWN_HOSTS: knownHostsFile, BENCHTOP_SSH_CONFIG: join(dir, 'ssh_config'), SSH_AUTH_SOCK: undefined },
    cwd: root,
  });

describe('benchtop host', () => {
  const ssh = sshHostEnv();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('add shows the fingerprint to trust and exits 1; trust stores it; ls, test and rm work', async () => {
    const add = await benchtop(['host', 'add', `${ssh.user}@${ssh.host}`, '--identity', ssh.identityFile, '--docker-socket', ssh.dockerSocket]);
    expect(add.code).toBe(1);
    expect(add.stdout).toContain(`ssh-ed25519 key fingerprint is ${ssh.hostKeyFingerprint}`);
    expect(add.stdout).toContain(`benchtop host trust ${ssh.host} ${ssh.hostKeyFingerprint}`);

    const trust = await benchtop(['host', 'trust', ssh.host, ssh.hostKeyFingerprint, '--json']);
    expect(trust.code).toBe(0);
    expect(JSON.parse(trust.stdout)).toMatchObject({ id: ssh.host, status: 'ok', engine: { dockerRootDir: expect.stringContaining('gpuhost') } });
    expect(readFileSync(knownHosts, 'utf8')).toContain(ssh.knownHostsLine);

    const ls = await benchtop(['host', 'ls']);
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(new RegExp(`^HOST\\s+ADDRESS\\s+STATUS\\s+ENGINE\\s+GPUS\\s+SESSIONS\\n${ssh.host.replace(/\./g, '\\.')}\\s+${ssh.user}@${ssh.host.replace(/\./g, '\\.')}:22\\s+ok\\s+docker \\S+\\s+${ssh.gpus.count}\\s+\\d+`));

    const test = await benchtop(['host', 'test', ssh.host]);
    expect(test.code).toBe(0);
    expect(test.stdout).toMatch(/Status:\s+ok/);
    expect(test.stdout).toMatch(new RegExp(`Engine:\\s+docker .* via ssh ${ssh.user}@${ssh.host.replace(/\./g, '\\.')}:22`));
    expect(test.stdout).toContain(ssh.hostKeyFingerprint);

    expect((await benchtop(['host', 'rm', ssh.host, '--json'])).stdout).toContain('"removed": true');
    const gone = await benchtop(['host', 'test', ssh.host, '--json']);
    expect(gone.code).toBe(2);
    expect(JSON.parse(gone.stdout)).toMatchObject({ error: { code: 'HOST_NOT_FOUND' } });
  });

  it('add --trust adds in one step when the fingerprint matches, and stores nothing when it does not', async () => {
    const fresh = join(dir, 'known_hosts.fresh');
    const spec = [`${ssh.user}@${ssh.host}`, '--identity', ssh.identityFile, '--docker-socket', ssh.dockerSocket, '--json'];
    const wrong = await benchtop(['host', 'add', ...spec, '--trust', 'SHA256:not-the-key'], fresh);
    expect(wrong.code).toBe(2);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ error: { code: 'HOST_KEY_UNKNOWN', message: expect.stringContaining(ssh.hostKeyFingerprint) } });
    expect(() => readFileSync(fresh, 'utf8')).toThrow();
    await benchtop(['host', 'rm', ssh.host], fresh);
    const right = await benchtop(['host', 'add', ...spec, '--trust', ssh.hostKeyFingerprint], fresh);
    expect(right.code).toBe(0);
    expect(JSON.parse(right.stdout)).toMatchObject({ status: 'added', host: { id: ssh.host, status: 'ok' } });
    expect(readFileSync(fresh, 'utf8')).toContain(ssh.knownHostsLine);
  });

  it('refuses an unknown action with a usage error', async () => {
    const usage = await benchtop(['host', 'frobnicate']);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain('error[INVALID_ARGUMENT]');
  });
});
