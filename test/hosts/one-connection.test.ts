import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshHostEnv } from '../support/ssh-host';
import { ownConnectionsTo } from './proc-sockets';
import { hostsFixture, specOf, type HostsFixture } from './support';

describe('one SSH connection per host', () => {
  let fx: HostsFixture;
  beforeAll(async () => {
    fx = hostsFixture({ knownHosts: `${sshHostEnv().knownHostsLine}\n` });
    await fx.core.hosts.add({ spec: specOf(fx.ssh), identityFile: fx.ssh.identityFile, dockerSocket: fx.ssh.dockerSocket });
  });
  afterAll(() => fx.close());

  it('carries many Docker API calls, in parallel and in sequence, over one connection sshd accepted once', async () => {
    const { core, ssh } = fx;
    const logStart = readFileSync(ssh.sshdLog, 'utf8').length;
    const docker = await core.engines.docker(ssh.host);
    const samples: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      await Promise.all([
        docker.version(), docker.info(), docker.listContainers({ all: true }), docker.listImages(), docker.ping(),
        core.engines.info(ssh.host), docker.listVolumes(), docker.listNetworks(),
      ]);
      samples.push(ownConnectionsTo(ssh.host, ssh.port).length);
    }
    expect(samples).toEqual([1, 1, 1, 1, 1]);
    const [ours] = ownConnectionsTo(ssh.host, ssh.port);
    // sshd accepted exactly one login from our connection's source port, and from no other socket during the calls,
    // though 40 requests went through: each was a channel on that connection, not a connection of its own.
    const accepted = readFileSync(ssh.sshdLog, 'utf8').slice(logStart).split('\n').filter((l) => /Accepted publickey/.test(l));
    expect(accepted.filter((l) => l.includes(`port ${ours.localPort} `))).toHaveLength(0); // it was accepted before the calls
    const whole = readFileSync(ssh.sshdLog, 'utf8').split('\n').filter((l) => l.includes(`from ${ssh.hostSideIp} port ${ours.localPort} `) && /Accepted publickey/.test(l));
    expect(whole).toHaveLength(1);
    // The remote shell sees the same source port: commands ride the same connection too.
    const out = await core.hosts.exec(ssh.host, 'echo $SSH_CLIENT');
    expect(out.stdout.trim().split(' ')).toEqual([ssh.hostSideIp, String(ours.localPort), '22']);
    expect(ownConnectionsTo(ssh.host, ssh.port)).toHaveLength(1);
  });

  it('runs nvidia-smi on the host over the same connection for the GPU inventory', async () => {
    const { core, ssh } = fx;
    expect((await core.gpus.probe(ssh.host)).state).toBe('ok');
    const cards = await core.gpus.inventory(ssh.host);
    expect(cards).toHaveLength(ssh.gpus.count);
    expect(new Set(cards.map((c) => c.uuid)).size).toBe(ssh.gpus.count);
    expect((await core.hosts.exec(ssh.host, 'hostname -I')).stdout).toContain(ssh.host);
  });

  it('reconnects after the connection drops, checking the host key again', async () => {
    const { core, ssh } = fx;
    const [before] = ownConnectionsTo(ssh.host, ssh.port);
    // Kill the sshd process serving our connection (found by its client port), as a host reboot or network drop would.
    const out = await core.hosts.exec(ssh.host, 'echo $PPID');
    const sshdPid = Number(out.stdout.trim());
    expect(sshdPid).toBeGreaterThan(1);
    await core.hosts.exec(ssh.host, `kill ${sshdPid}`).catch(() => undefined);
    await waitFor(() => ownConnectionsTo(ssh.host, ssh.port).every((c) => c.localPort !== before.localPort));
    const info = await core.engines.info(ssh.host);
    expect(info.dockerRootDir).toMatch(/gpuhost/);
    const after = ownConnectionsTo(ssh.host, ssh.port);
    expect(after).toHaveLength(1);
    expect(after[0].localPort).not.toBe(before.localPort);
  });
});

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
