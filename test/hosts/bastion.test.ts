import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SshConnection } from '../../src/main/core/ssh/connection';
import { sshTargetFor } from '../../src/main/core/ssh/target';
import { bastionEnv, type BastionEnv } from '../support/bastion';
import { hostsFixture, type HostsFixture } from './support';
import { escapeRegExp } from '../support/regexp';

/**
 * A host that only a bastion can reach (scripts/test-env/bastion.sh): this computer has no route to
 * bt-inner; the bastion's sshd forwards to it. Every test uses real sshds, keys and known_hosts.
 */

/** ~/.ssh/config for the two hops: `gpu-inner` through `bastion` (or what `inner` says instead). */
function config(b: BastionEnv, inner: string[] = ['  ProxyJump bastion']): string {
  return [
    'Host bastion',
    `  HostName ${b.bastion.host}`,
    `  User ${b.bastion.user}`,
    `  IdentityFile ${b.bastion.identityFile}`,
    'Host gpu-inner',
    `  HostName ${b.inner.host}`,
    `  User ${b.inner.user}`,
    `  IdentityFile ${b.inner.identityFile}`,
    ...inner,
  ].join('\n');
}

/** Connections the inner host's sshd accepted from `ip` since `offset` (its log is shared by every test). */
function acceptedFrom(b: BastionEnv, ip: string, offset: number): number {
  const log = readFileSync(b.inner.sshdLog, 'utf8').slice(offset);
  return log.split('\n').filter((l) => l.includes(`Accepted publickey for ${b.inner.user} from ${ip} `)).length;
}

describe('hosts behind a bastion (ProxyJump)', () => {
  let fx: HostsFixture | undefined;
  let agent: ChildProcess | undefined;
  afterEach(async () => {
    agent?.kill();
    agent = undefined;
    await fx?.close();
    fx = undefined;
  });

  it('cannot reach the inner host directly; through the bastion it trusts each hop in turn and runs Docker there', async () => {
    const b = bastionEnv();
    fx = hostsFixture({ knownHosts: '', sshConfig: config(b, []) });
    await expect(fx.core.hosts.add({ spec: 'gpu-inner', dockerSocket: b.inner.dockerSocket })).rejects.toMatchObject({ code: 'HOST_UNREACHABLE' });
    await fx.close();

    fx = hostsFixture({ knownHosts: '', sshConfig: config(b) });
    const logOffset = readFileSync(b.inner.sshdLog, 'utf8').length;
    // First contact: the bastion's key is the first unknown one, and it is named as the jump host's.
    const first = await fx.core.hosts.add({ spec: 'gpu-inner', dockerSocket: b.inner.dockerSocket });
    expect(first).toEqual({ status: 'needs-trust', hostId: 'gpu-inner', keyType: 'ssh-ed25519', fingerprint: b.bastion.fingerprint, jumpHost: `${b.bastion.host}:22` });
    // Trusting it stores the bastion's key; the inner host's key is the next one to compare.
    await expect(fx.core.hosts.trust('gpu-inner', b.bastion.fingerprint)).rejects.toMatchObject({
      code: 'HOST_KEY_UNKNOWN',
      message: expect.stringContaining(b.inner.fingerprint),
      hint: expect.stringContaining(`benchtop host trust gpu-inner ${b.inner.fingerprint}`),
    });
    const second = await fx.core.hosts.add({ spec: 'gpu-inner', dockerSocket: b.inner.dockerSocket });
    expect(second).toEqual({ status: 'needs-trust', hostId: 'gpu-inner', keyType: 'ssh-ed25519', fingerprint: b.inner.fingerprint });
    const host = await fx.core.hosts.trust('gpu-inner', b.inner.fingerprint);
    expect(host).toMatchObject({ id: 'gpu-inner', hostname: b.inner.host, user: b.inner.user, status: 'ok', fingerprint: b.inner.fingerprint, engine: { dockerRootDir: expect.stringContaining('gpuhost') } });
    // known_hosts now holds both hops, in the form ssh(1) reads.
    expect(readFileSync(fx.knownHosts, 'utf8').trim().split('\n').sort()).toEqual([b.bastion.knownHostsLine, b.inner.knownHostsLine].sort());
    // The inner sshd saw the connection come from the bastion's side of its network.
    expect(acceptedFrom(b, b.bastion.innerSideIp, logOffset)).toBeGreaterThanOrEqual(1);
    // And ssh(1) with the same files agrees: the trust written is usable outside Benchtop too.
    // (In the config file, not -o: the jump host's own ssh reads only the file.)
    const strict = join(fx.dir, 'ssh_config_strict');
    writeFileSync(strict, `${config(b)}\nHost *\n  UserKnownHostsFile ${fx.knownHosts}\n  StrictHostKeyChecking yes\n  BatchMode yes\n`);
    const out = execFileSync('ssh', ['-F', strict, 'gpu-inner', 'echo reached'], { encoding: 'utf8' });
    expect(out.trim()).toBe('reached');
  });

  it('refuses a bastion whose key changed, naming the bastion, and never reaches the inner host', async () => {
    const b = bastionEnv();
    fx = hostsFixture({ knownHosts: `${b.bastion.wrongKnownHostsLine}\n${b.inner.knownHostsLine}\n`, sshConfig: config(b) });
    const logOffset = readFileSync(b.inner.sshdLog, 'utf8').length;
    await expect(fx.core.hosts.add({ spec: 'gpu-inner', dockerSocket: b.inner.dockerSocket })).rejects.toMatchObject({
      code: 'HOST_KEY_CHANGED',
      message: expect.stringMatching(new RegExp(`the jump host bastion \\(for gpu-inner\\) \\(${escapeRegExp(b.bastion.host)}:22\\) has changed.*${escapeRegExp(b.bastion.fingerprint)}`)),
    });
    expect(acceptedFrom(b, b.bastion.innerSideIp, logOffset)).toBe(0);
  });

  it('follows a ProxyJump chain hop by hop, each hop resolved from the config (bastion, then the bastion again from inside)', async () => {
    const b = bastionEnv();
    fx = hostsFixture({
      knownHosts: `${b.bastion.knownHostsLine}\n${b.inner.knownHostsLine}\n`,
      sshConfig: [
        config(b, ['  ProxyJump bastion,second-hop']),
        // Seen from the bastion, its own address is reachable too: a real second hop through the first.
        'Host second-hop',
        `  HostName ${b.bastion.host}`,
        `  User ${b.bastion.user}`,
        `  IdentityFile ${b.bastion.identityFile}`,
      ].join('\n'),
    });
    const bastionLog = readFileSync(b.bastion.sshdLog, 'utf8').length;
    const added = await fx.core.hosts.add({ spec: 'gpu-inner', dockerSocket: b.inner.dockerSocket });
    expect(added).toMatchObject({ status: 'added', host: { status: 'ok' } });
    // The second hop's connection to the bastion came from the bastion itself.
    const log = readFileSync(b.bastion.sshdLog, 'utf8').slice(bastionLog);
    expect(log).toContain(`Accepted publickey for ${b.bastion.user} from ${b.bastion.host} `);
  });

  it('reaches the inner host through a ProxyCommand (ssh -W), still checking the inner host key itself', async () => {
    const b = bastionEnv();
    fx = hostsFixture({ knownHosts: '', sshConfig: '' });
    // The first hop is ssh(1)'s own, with its own known_hosts; Benchtop checks the inner host's key.
    const jumpKnownHosts = join(fx.dir, 'jump_known_hosts');
    writeFileSync(jumpKnownHosts, `${b.bastion.knownHostsLine}\n`);
    const proxy = `ssh -F none -o BatchMode=yes -o UserKnownHostsFile=${jumpKnownHosts} -o StrictHostKeyChecking=yes -i ${b.bastion.identityFile} -W %h:%p ${b.bastion.user}@${b.bastion.host}`;
    writeFileSync(fx.sshConfig, config(b, [`  ProxyCommand ${proxy}`]));
    const first = await fx.core.hosts.add({ spec: 'gpu-inner', dockerSocket: b.inner.dockerSocket });
    expect(first).toEqual({ status: 'needs-trust', hostId: 'gpu-inner', keyType: 'ssh-ed25519', fingerprint: b.inner.fingerprint });
    expect(await fx.core.hosts.trust('gpu-inner', b.inner.fingerprint)).toMatchObject({ status: 'ok' });
  });

  it('authenticates each hop with the keys IdentityAgent names (a real ssh-agent), with no key files', async () => {
    const b = bastionEnv();
    fx = hostsFixture({ knownHosts: `${b.bastion.knownHostsLine}\n${b.inner.knownHostsLine}\n` });
    const socket = join(fx.dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(socket); i += 1) await new Promise((r) => setTimeout(r, 100));
    execFileSync('ssh-add', [b.bastion.identityFile, b.inner.identityFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'pipe' });
    writeFileSync(fx.sshConfig, [
      'Host bastion', `  HostName ${b.bastion.host}`, `  User ${b.bastion.user}`,
      'Host gpu-inner', `  HostName ${b.inner.host}`, `  User ${b.inner.user}`, '  ProxyJump bastion',
      'Host *', `  IdentityAgent ${socket}`,
    ].join('\n'));
    const added = await fx.core.hosts.add({ spec: 'gpu-inner', dockerSocket: b.inner.dockerSocket });
    expect(added).toMatchObject({ status: 'added', host: { status: 'ok' } });
  });

  it('reads /etc/ssh/ssh_known_hosts-style global files and UserKnownHostsFile from the config, with either resolver', async () => {
    const b = bastionEnv();
    fx = hostsFixture({ knownHosts: '' });
    const global = join(fx.dir, 'ssh_known_hosts');
    const user = join(fx.dir, 'team_known_hosts');
    writeFileSync(global, `${b.bastion.knownHostsLine}\n`);
    writeFileSync(user, `${b.inner.knownHostsLine}\n`);
    writeFileSync(fx.sshConfig, config(b, ['  ProxyJump bastion', 'Host *', `  GlobalKnownHostsFile ${global}`, `  UserKnownHostsFile ${user}`]));
    for (const ssh of [undefined, null]) {
      const target = await sshTargetFor({ alias: 'gpu-inner' }, { configPath: fx.sshConfig, home: fx.dir, env: fx.core.env, knownHostsPath: fx.knownHosts, ssh, hostId: 'gpu-inner' });
      expect(target).toMatchObject({ hostname: b.inner.host, knownHostsPath: user, extraKnownHostsPaths: [global], jump: { hostname: b.bastion.host, user: b.bastion.user } });
      const connection = new SshConnection(target);
      try {
        const out = await connection.exec('echo $USER');
        expect(out.stdout.trim()).toBe(b.inner.user);
      } finally {
        connection.close();
      }
    }
    // Nothing was written to Benchtop's own known_hosts: the config's files were enough.
    expect(readFileSync(fx.knownHosts, 'utf8')).toBe('');
  });
});
