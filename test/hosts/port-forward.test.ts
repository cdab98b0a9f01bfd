import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseContainerName, leaseLabels } from '../../src/main/core/gpu/lease-labels';
import { testEnv } from '../support/env';
import { sshHostEnv } from '../support/ssh-host';
import { hostsFixture, specOf, type HostsFixture } from './support';

/** Resolves with 'open' or the connect error's code (ECONNREFUSED…). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(3000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

async function pull(docker: Docker, ref: string): Promise<void> {
  const stream = await docker.pull(ref);
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (error: Error | null, events: { error?: string }[]) => {
      const failed = error ?? events.find((e) => e.error);
      if (failed) reject(failed instanceof Error ? failed : new Error(failed.error));
      else resolve();
    }));
}

describe('Jupyter port forwards through the host connection', () => {
  const env = testEnv();
  const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
  const token = randomBytes(16).toString('hex');
  const name = `bt-test-${randomBytes(4).toString('hex')}`;
  let fx: HostsFixture;
  let docker: Docker;
  let remotePort = 0;

  beforeAll(async () => {
    fx = hostsFixture({ knownHosts: `${sshHostEnv().knownHostsLine}\n` });
    await fx.core.hosts.add({ spec: specOf(fx.ssh), identityFile: fx.ssh.identityFile, dockerSocket: fx.ssh.dockerSocket });
    docker = await fx.core.engines.docker(fx.ssh.host);
    // The host's engine pulls the very ref this computer pulls (127.0.0.1:5000 there is bridged to here).
    await pull(docker, image);
    const container = await docker.createContainer({
      name,
      Image: image,
      Env: [`JUPYTER_TOKEN=${token}`],
      // Labelled like a Benchtop session, so the host summary counts it.
      Labels: { 'dev.benchtop.test': name, 'dev.benchtop.session': '1' },
      ExposedPorts: { '8888/tcp': {} },
      HostConfig: { PortBindings: { '8888/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    await container.start();
    const inspect = await container.inspect();
    remotePort = Number(inspect.NetworkSettings.Ports['8888/tcp']?.[0]?.HostPort);
  });

  afterAll(async () => {
    await docker?.getContainer(name).remove({ force: true }).catch(() => undefined);
    await fx?.close();
  });

  it('reaches Jupyter published on the remote loopback, through a listener bound to 127.0.0.1 only', async () => {
    const { core, ssh } = fx;
    expect(remotePort).toBeGreaterThan(0);
    const local = await core.hosts.localPort(ssh.host, remotePort);
    // Jupyter needs a few seconds to start (more on a busy machine); each try is bounded.
    let status = 0;
    const deadline = Date.now() + 75_000;
    while (status !== 200 && Date.now() < deadline) {
      status = await fetch(`http://127.0.0.1:${local}/api/status`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(5000) })
        .then((r) => r.status, () => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    if (status !== 200) {
      const container = docker.getContainer(name);
      const logs = (await container.logs({ stdout: true, stderr: true, tail: 20 })).toString('latin1');
      expect.fail(`Jupyter never answered through the forward (last status ${status}); the container is ${(await container.inspect()).State.Status}: ${logs}`);
    }
    // Without the token Jupyter refuses: the forward reached the real server, not something else.
    expect((await fetch(`http://127.0.0.1:${local}/api/status`)).status).toBe(403);
    // The same port is handed out again for the same host and remote port.
    expect(await core.hosts.localPort(ssh.host, remotePort)).toBe(local);
    // Bound to loopback only: every other address of this computer refuses it.
    const others = Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address);
    expect(others).toContain(ssh.hostSideIp);
    for (const address of others) expect(await tryConnect(address, local)).toBe('ECONNREFUSED');
  }, 90_000);

  it('counts the running session and shows GPU leases in the host summary', async () => {
    // A lease as the GPU service records it: a never-started container labelled with the holder.
    const gpu = `GPU-${name}`;
    const lease = await docker.createContainer({
      name: leaseContainerName(gpu), Image: image, Entrypoint: ['true'],
      Labels: leaseLabels({ gpu, owner: { id: 'ana-install', name: 'ana' }, sessionId: name, seconds: 3600, kind: 'session', since: '2026-11-23T19:20:00Z', idleMinutes: 30 }),
    });
    try {
      const host = await fx.core.hosts.test(fx.ssh.host);
      expect(host.status).toBe('ok');
      expect(host.sessions).toBeGreaterThanOrEqual(1);
      expect(host.leases).toContainEqual(expect.objectContaining({ host: fx.ssh.host, gpu, holder: 'ana', sessionId: name, idleMinutes: 30 }));
    } finally {
      await lease.remove({ force: true });
    }
  });

  it('the published port is not reachable from the network side of the host', async () => {
    expect(await tryConnect(fx.ssh.host, remotePort)).toBe('ECONNREFUSED');
  });

  it('closes the forward with the host', async () => {
    const { core, ssh } = fx;
    const local = await core.hosts.localPort(ssh.host, remotePort);
    expect(await tryConnect('127.0.0.1', local)).toBe('open');
    await core.hosts.close(ssh.host);
    await core.engines.forget(ssh.host);
    expect(await tryConnect('127.0.0.1', local)).toBe('ECONNREFUSED');
    docker = await core.engines.docker(ssh.host);
  });
});
