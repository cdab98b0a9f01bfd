import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { sshHostEnv } from '../support/ssh-host';
import { hostsFixture, specOf, type HostsFixture } from './support';

describe('adding the shared GPU host over real SSH', () => {
  let fx: HostsFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  it('asks to trust an unknown key, stores it only after hostTrust, then shows the remote engine', async () => {
    fx = hostsFixture();
    const { core, ssh } = fx;
    const added = await core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket });
    expect(added).toEqual({ status: 'needs-trust', hostId: ssh.host, keyType: 'ssh-ed25519', fingerprint: ssh.hostKeyFingerprint });
    // Nothing trusted yet: known_hosts was not written and the engine is not reachable.
    expect(() => readFileSync(fx!.knownHosts, 'utf8')).toThrow();
    // Adding it again before trusting shows the same key again instead of "already added".
    expect(await core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket })).toMatchObject({ status: 'needs-trust', fingerprint: ssh.hostKeyFingerprint });
    await expect(core.engines.info(ssh.host)).rejects.toMatchObject({ code: 'HOST_KEY_UNKNOWN', message: expect.stringContaining(ssh.hostKeyFingerprint) });

    const host = await core.hosts.trust(ssh.host, ssh.hostKeyFingerprint);
    expect(readFileSync(fx.knownHosts, 'utf8').trim()).toBe(ssh.knownHostsLine);
    expect(host).toMatchObject({ id: ssh.host, status: 'ok', user: ssh.user, hostname: ssh.host, port: 22, fingerprint: ssh.hostKeyFingerprint, gpus: expect.any(Array), sessions: expect.any(Number) });

    // The engine seen over SSH is the namespace's dockerd, not this computer's.
    // The test host's simulated cards, from its nvidia-smi over the same connection.
    expect(host.gpus).toHaveLength(ssh.gpus.count);
    const remote = await new Docker({ socketPath: ssh.dockerSocket }).info() as { DockerRootDir: string; ID: string };
    const local = await new Docker().info() as { DockerRootDir: string };
    expect(host.engine?.dockerRootDir).toBe(remote.DockerRootDir);
    expect(host.engine?.dockerRootDir).not.toBe(local.DockerRootDir);
    expect(host.engine?.endpoint).toMatchObject({ kind: 'ssh', address: `${ssh.user}@${ssh.host}:22` });
    expect(core.settings.get('hosts').map((h) => h.id)).toEqual([ssh.host]);
    expect((await core.hosts.list())[0]).toMatchObject({ id: ssh.host, status: 'ok' });

    // Removing forgets the host (its key stays in known_hosts, as with ssh).
    expect(await core.hosts.remove(ssh.host)).toEqual({ removed: true });
    expect(await core.hosts.list()).toEqual([]);
    await expect(core.engines.info(ssh.host)).rejects.toMatchObject({ code: 'HOST_NOT_FOUND' });
    expect(readFileSync(fx.knownHosts, 'utf8').trim()).toBe(ssh.knownHostsLine);
  });

  it('says which keys it offered when no key is usable', async () => {
    fx = hostsFixture({ knownHosts: `${sshHostEnv().knownHostsLine}\n` });
    const { core, ssh } = fx;
    // HOME is the fixture folder: no ~/.ssh keys, no agent, no IdentityFile.
    await expect(core.hosts.add({ spec: specOf(ssh) })).rejects.toMatchObject({
      code: 'HOST_AUTH_FAILED',
      message: expect.stringContaining(`no readable key (looked for ${fx.dir}/.ssh/id_ed25519`),
    });
  });

  it('uses the host key type that known_hosts has, when the host has several', async () => {
    const ssh = sshHostEnv();
    fx = hostsFixture({ knownHosts: `${ssh.ecdsaKnownHostsLine}\n` });
    const added = await fx.core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket });
    expect(added).toMatchObject({ status: 'added', host: { status: 'ok', fingerprint: ssh.ecdsaFingerprint } });
  });

  it('keeps keys per port: a host on another port is trusted as a [host]:port entry', async () => {
    const ssh = sshHostEnv();
    fx = hostsFixture({ knownHosts: `${ssh.knownHostsLine}\n` });
    const spec = `${ssh.user}@${ssh.host}:${ssh.altPort}`;
    // The port-22 entry does not vouch for another port, as with ssh(1).
    const added = await fx.core.hosts.add({ spec, identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket });
    expect(added).toEqual({ status: 'needs-trust', hostId: `${ssh.host}-${ssh.altPort}`, keyType: 'ssh-ed25519', fingerprint: ssh.hostKeyFingerprint });
    const host = await fx.core.hosts.trust(`${ssh.host}-${ssh.altPort}`, ssh.hostKeyFingerprint);
    expect(host).toMatchObject({ status: 'ok', port: ssh.altPort });
    expect(readFileSync(fx.knownHosts, 'utf8').split('\n')[1]).toBe(`[${ssh.host}]:${ssh.altPort} ${ssh.knownHostsLine.split(' ').slice(1).join(' ')}`);
  });

  it('refuses to trust a fingerprint other than the one the host presents', async () => {
    fx = hostsFixture();
    const { core, ssh } = fx;
    await core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket });
    const wrong = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    await expect(core.hosts.trust(ssh.host, wrong)).rejects.toMatchObject({ code: 'HOST_KEY_UNKNOWN', message: expect.stringContaining(ssh.hostKeyFingerprint) });
    expect(() => readFileSync(fx!.knownHosts, 'utf8')).toThrow();
  });

  it('adds at once when known_hosts already has the key (hashed entry)', async () => {
    const ssh = sshHostEnv();
    const [name, type, key] = ssh.knownHostsLine.split(' ');
    // `ssh-keygen -H` style: |1|salt|HMAC-SHA1(salt, name)
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
    fx = hostsFixture({ knownHosts: `# comment\nother.example ${ssh.wrongKnownHostsLine.split(' ').slice(1).join(' ')}\n${hashed} ${type} ${key}\n` });
    const added = await fx.core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket });
    expect(added).toMatchObject({ status: 'added', host: { status: 'ok', fingerprint: ssh.hostKeyFingerprint } });
    await expect(fx.core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile })).rejects.toMatchObject({ code: 'HOST_EXISTS' });
  });

  it('refuses a changed host key with HOST_KEY_CHANGED naming both fingerprints', async () => {
    const ssh = sshHostEnv();
    fx = hostsFixture({ knownHosts: `${ssh.wrongKnownHostsLine}\n` });
    const failure = await fx.core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket }).catch((e: unknown) => e);
    const wrongFingerprint = fingerprintOfLine(ssh.wrongKnownHostsLine);
    expect(failure).toMatchObject({
      code: 'HOST_KEY_CHANGED',
      message: expect.stringMatching(new RegExp(`has changed.*${escape(wrongFingerprint)}.*now presents ssh-ed25519 ${escape(ssh.hostKeyFingerprint)}`)),
      hint: expect.stringContaining('ssh-keygen -R 10.213.7.2'),
    });
    expect(fx.core.settings.get('hosts')).toEqual([]);
    expect(readFileSync(fx.knownHosts, 'utf8')).toBe(`${ssh.wrongKnownHostsLine}\n`);
  });

  it('stops using a stored host whose key changed: its engine calls fail and the list says key-changed', async () => {
    const ssh = sshHostEnv();
    fx = hostsFixture({ knownHosts: `${ssh.knownHostsLine}\n` });
    await fx.core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket });
    await fx.core.hosts.close(ssh.host);
    await fx.core.engines.forget(ssh.host);
    writeFileSync(fx.knownHosts, `${ssh.wrongKnownHostsLine}\n`);
    await expect(fx.core.engines.info(ssh.host)).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
    const [listed] = await fx.core.hosts.list();
    expect(listed).toMatchObject({ id: ssh.host, status: 'key-changed', message: expect.stringContaining(ssh.hostKeyFingerprint) });
    expect(listed.engine).toBeUndefined();
  });

  it('says HOST_AUTH_FAILED when sshd refuses the key', async () => {
    fx = hostsFixture({ knownHosts: `${sshHostEnv().knownHostsLine}\n` });
    const { core, ssh } = fx;
    await expect(core.hosts.add({ spec: specOf(ssh), identityFile: ssh.unauthorizedIdentityFile })).rejects.toMatchObject({
      code: 'HOST_AUTH_FAILED',
      message: expect.stringContaining(ssh.unauthorizedIdentityFile),
      hint: expect.stringContaining('authorized_keys'),
    });
    expect(core.settings.get('hosts')).toEqual([]);
  });

  it('says which engine socket it could not use when the host has none at the default path for that user', async () => {
    fx = hostsFixture({ knownHosts: `${sshHostEnv().knownHostsLine}\n` });
    const { core, ssh } = fx;
    await expect(core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: '/run/bt-gpuhost/no-such.sock' })).rejects.toMatchObject({
      code: 'ENGINE_UNREACHABLE',
      message: expect.stringContaining(`at /run/bt-gpuhost/no-such.sock on ${ssh.host}`),
      hint: expect.stringContaining('--docker-socket'),
    });
    expect(core.settings.get('hosts')).toEqual([]);
  });

  it('says HOST_UNREACHABLE when nothing listens on the port', async () => {
    fx = hostsFixture();
    const { core, ssh } = fx;
    await expect(core.hosts.add({ spec: `${ssh.user}@${ssh.host}:2222`, identityFile: ssh.identityFile })).rejects.toMatchObject({
      code: 'HOST_UNREACHABLE',
      message: expect.stringMatching(/10\.213\.7\.2:2222.*ECONNREFUSED/),
    });
  });

  it('rejects specs that are not hosts with HOST_INVALID', async () => {
    fx = hostsFixture();
    await expect(fx.core.hosts.add({ spec: 'me@host:99999' })).rejects.toMatchObject({ code: 'HOST_INVALID' });
    await expect(fx.core.hosts.add({ spec: 'me@' })).rejects.toMatchObject({ code: 'HOST_INVALID' });
    await expect(fx.core.hosts.test('nope')).rejects.toMatchObject({ code: 'HOST_NOT_FOUND' });
  });
});

/** The SHA256 fingerprint of a known_hosts line's key, as ssh-keygen -l prints it. */
function fingerprintOfLine(line: string): string {
  const blob = Buffer.from(line.split(' ')[2], 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
