import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProxyJump } from '../../src/main/core/ssh/jump';
import { resolveSshHost, type SshResolveOptions } from '../../src/main/core/ssh/resolve';
import { findSsh } from '../../src/main/core/ssh/ssh-g';

/**
 * The two resolvers must agree: `ssh -G` (OpenSSH itself, used wherever ssh exists) and Benchtop's
 * own parser (used where it does not). Each config is resolved by both and compared.
 */
describe('resolving a destination like OpenSSH', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function setup(files: Record<string, string>): SshResolveOptions {
    dir = mkdtempSync(join(tmpdir(), 'bt-test-sshcfg-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text.replace(/\$DIR/g, dir));
    }
    return { configPath: join(dir, 'config'), home: dir, env: { PATH: process.env.PATH, SSH_AUTH_SOCK: '/tmp/from-env.sock' }, knownHostsPath: join(dir, 'known_hosts') };
  }

  async function both(opts: SshResolveOptions, alias: string, given: { user?: string; port?: number } = {}) {
    const ssh = findSsh(process.env);
    expect(ssh, 'ssh(1) must exist on the test machine').toBeDefined();
    const [viaSsh, viaParser] = await Promise.all([
      resolveSshHost({ alias, ...given }, { ...opts, ssh }),
      resolveSshHost({ alias, ...given }, { ...opts, ssh: null }),
    ]);
    expect(viaSsh.resolver).toBe('ssh -G');
    expect(viaParser.resolver).toBe('parser');
    const { resolver: _a, matchedAlias: _b, ...a } = viaSsh;
    const { resolver: _c, matchedAlias: _d, ...b } = viaParser;
    expect(b).toEqual(a);
    return viaSsh;
  }

  it('follows Include (globs, relative to ~/.ssh, conditional inside Host), Match and ProxyJump chains', async () => {
    const opts = setup({
      config: [
        'Include $DIR/conf.d/*.conf',
        'Host gpu-*',
        '  Include $DIR/only-gpu',
        'Match originalhost gpu-box user analyst',
        '  ProxyJump jump@bastion.example:2222,inner-bastion',
        'Match host 10.1.2.*',
        '  IdentityAgent $DIR/agent.sock',
        'Host *',
        '  User nobody-default',
      ].join('\n'),
      'conf.d/10-gpu.conf': 'Host gpu-box\n  HostName 10.1.2.3\n  User analyst\n',
      'conf.d/20-other.conf': 'Host other\n  HostName other.example\n',
      'conf.d/ignored.txt': 'Host gpu-box\n  Port 9999\n',
      'only-gpu': '  Port 2201\n  IdentityFile ~/.ssh/team_%r_key\n',
    });
    const gpu = await both(opts, 'gpu-box');
    expect(gpu).toMatchObject({
      hostname: '10.1.2.3', user: 'analyst', port: 2201,
      identityFiles: [join(opts.home, '.ssh', 'team_analyst_key')],
      agentSocket: join(opts.home, 'agent.sock'),
      jumps: [{ user: 'jump', host: 'bastion.example', port: 2222 }, { host: 'inner-bastion' }],
      userKnownHostsFiles: [opts.knownHostsPath],
    });
    const other = await both(opts, 'other');
    expect(other).toMatchObject({ hostname: 'other.example', user: 'nobody-default', port: 22, jumps: [], agentSocket: '/tmp/from-env.sock' });
    expect(other.identityFiles).toEqual(['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => join(opts.home, '.ssh', n)));
  });

  it('lets a typed user and port win over the config, and honours IdentityAgent none, ProxyCommand and known_hosts files', async () => {
    const opts = setup({
      config: [
        'Host box',
        '  HostName box.example',
        '  User configured',
        '  Port 2022',
        '  IdentityAgent none',
        '  ProxyCommand ssh -W %h:%p jump',
        '  UserKnownHostsFile $DIR/team_known_hosts $DIR/more_known_hosts',
        '  GlobalKnownHostsFile $DIR/global_known_hosts',
      ].join('\n'),
    });
    const box = await both(opts, 'box', { user: 'typed', port: 2200 });
    expect(box).toMatchObject({
      user: 'typed', port: 2200, agentSocket: undefined, proxyCommand: 'ssh -W %h:%p jump', jumps: [],
      userKnownHostsFiles: [join(opts.home, 'team_known_hosts'), join(opts.home, 'more_known_hosts')],
      globalKnownHostsFiles: [join(opts.home, 'global_known_hosts')],
    });
    // No config file at all: ssh's defaults, Benchtop's known_hosts, the local account.
    const bare = await both({ ...opts, configPath: join(opts.home, 'missing') }, 'plain.example');
    expect(bare).toMatchObject({ hostname: 'plain.example', port: 22, user: userInfo().username, globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'] });
  });

  it('refuses a config ssh(1) refuses, and a ProxyJump hop it cannot read, with HOST_INVALID', async () => {
    const opts = setup({ config: 'Host box\n  NoSuchOption yes\n', 'jump-config': 'Host box\n  ProxyJump user@\n' });
    await expect(resolveSshHost({ alias: 'box' }, opts)).rejects.toMatchObject({ code: 'HOST_INVALID', message: expect.stringMatching(/nosuchoption/i) });
    await expect(resolveSshHost({ alias: 'box' }, { ...opts, configPath: join(opts.home, 'jump-config'), ssh: null })).rejects.toMatchObject({ code: 'HOST_INVALID', message: expect.stringContaining('"user@"') });
    expect(parseProxyJump('ssh://u@[fe80::1]:2222, b')).toEqual({ hops: [{ user: 'u', host: 'fe80::1', port: 2222 }, { host: 'b' }] });
    expect(parseProxyJump('none')).toEqual({ hops: [] });
  });
});
