import { copyFileSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { entryMatches, parseKnownHosts, verifyHostKey } from '../../src/main/core/ssh/known-hosts';
import { parseSshConfig, resolveSshConfig } from '../../src/main/core/ssh/ssh-config';
import { sshHostEnv } from '../support/ssh-host';
import { hostsFixture, type HostsFixture } from './support';

describe('~/.ssh/config aliases', () => {
  let fx: HostsFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  it('adds a host by its alias: HostName, User, Port and a ~ IdentityFile come from the config', async () => {
    const ssh = sshHostEnv();
    fx = hostsFixture({
      knownHosts: `${ssh.knownHostsLine}\n`,
      sshConfig: [
        '# the team GPU box',
        'Host gpu-box !gpu-box-old',
        `  HostName ${ssh.host}`,
        `  User ${ssh.user}`,
        `  Port ${ssh.port}`,
        '  IdentityFile ~/keys/team_ed25519',
        'Host gpu-*',
        `  HostName ${ssh.host}`,
        '  User someone-else',
        '  Port 2200',
      ].join('\n'),
    });
    mkdirSync(join(fx.dir, 'keys'));
    copyFileSync(ssh.identityFile, join(fx.dir, 'keys', 'team_ed25519'));
    chmodSync(join(fx.dir, 'keys', 'team_ed25519'), 0o600);
    const added = await fx.core.hosts.add({ spec: 'gpu-box', dockerSocket: ssh.dockerSocket });
    expect(added).toMatchObject({ status: 'added', host: { id: 'gpu-box', spec: 'gpu-box', user: ssh.user, hostname: ssh.host, port: ssh.port, status: 'ok' } });
    expect(fx.core.settings.get('hosts')[0].identityFile).toBe(join(fx.dir, 'keys', 'team_ed25519'));
    // The negated alias falls to the `gpu-*` block: its port, where nothing listens.
    await expect(fx.core.hosts.add({ spec: 'gpu-box-old' })).rejects.toMatchObject({
      code: 'HOST_UNREACHABLE', message: expect.stringContaining(`someone-else@${ssh.host}:2200`),
    });
  });
});

describe('ssh_config and known_hosts parsing', () => {
  it('first value wins, patterns and negations match like ssh -G', () => {
    const blocks = parseSshConfig('Host box\n  Port 2022\nHost b* !bad\n  User u1\n  Port 9\n  IdentityFile %d/.ssh/%h_key\nHost *\n  User u2\n');
    expect(resolveSshConfig(blocks, 'box', '/home/me')).toEqual({ port: 2022, user: 'u1', identityFiles: ['/home/me/.ssh/box_key'], matchedAlias: true, hostname: undefined });
    const bad = resolveSshConfig(blocks, 'bad', '/home/me');
    expect(bad).toMatchObject({ user: 'u2', matchedAlias: false });
    expect(bad.port).toBeUndefined();
  });

  it('matches [host]:port entries only on that port and reports a changed key of the same type', () => {
    const entries = parseKnownHosts('[gpu.example]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKZu7CuZphuz9RDonc3gIb1Ls+fTRUielvKuOYavaqap\n');
    expect(entryMatches(entries[0], 'gpu.example', 2222)).toBe(true);
    expect(entryMatches(entries[0], 'gpu.example', 22)).toBe(false);
    const other = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIACJ7THTN9L5F2XlVe4xTU0pRjdbYi5tpmMB7YSfXAHF', 'base64');
    expect(verifyHostKey(entries, 'gpu.example', 2222, other)).toMatchObject({ state: 'changed', line: 1 });
    expect(verifyHostKey(entries, 'gpu.example', 22, other)).toEqual({ state: 'unknown' });
  });
});
