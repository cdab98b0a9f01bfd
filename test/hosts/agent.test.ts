import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sshHostEnv } from '../support/ssh-host';
import { hostsFixture, specOf, type HostsFixture } from './support';

describe('keys from the SSH agent', () => {
  let fx: HostsFixture | undefined;
  let probe: HostsFixture | undefined;
  let agent: ChildProcess | undefined;
  afterEach(async () => {
    agent?.kill();
    agent = undefined;
    await fx?.close();
    await probe?.close();
    fx = probe = undefined;
  });

  it('authenticates with a key held only by ssh-agent (SSH_AUTH_SOCK), no key file given', async () => {
    const ssh = sshHostEnv();
    probe = hostsFixture();
    const socket = join(probe.dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(socket); i += 1) await new Promise((r) => setTimeout(r, 100));
    execFileSync('ssh-add', [ssh.identityFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'pipe' });
    fx = hostsFixture({ knownHosts: `${ssh.knownHostsLine}\n`, agentSocket: socket });
    const added = await fx.core.hosts.add({ spec: specOf(ssh), dockerSocket: ssh.dockerSocket });
    expect(added).toMatchObject({ status: 'added', host: { status: 'ok', engine: { dockerRootDir: expect.stringContaining('gpuhost') } } });
    expect(fx.core.settings.get('hosts')[0].identityFile).toBeUndefined();
  });
});
