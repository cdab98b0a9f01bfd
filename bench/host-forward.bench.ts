/**
 * A session's port on the shared host, reached from this computer: Benchtop's forward (a 127.0.0.1
 * listener whose connections are channels on the host's one SSH connection) against OpenSSH's
 * `ssh -N -L`, the plain tool. A container on the host serves files with python's http.server on
 * its loopback-published port. Two workloads: many small requests (what Jupyter's UI does) and one
 * large download (a notebook's data). Goal: <= 1.1x.
 *
 *   node --import tsx bench/host-forward.bench.ts [runs] [requests] [MiB]
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { hostsFixture, specOf } from '../test/hosts/support';
import { testEnv } from '../test/support/env';
import { sshHostEnv } from '../test/support/ssh-host';
import { compare, median, report } from './support/timing';

const runs = Number(process.argv[2] ?? 5);
const requests = Number(process.argv[3] ?? 100);
const mib = Number(process.argv[4] ?? 64);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered`);
}

async function download(url: string): Promise<number> {
  const body = await (await fetch(url)).arrayBuffer();
  return body.byteLength;
}

async function main(): Promise<void> {
  const ssh = sshHostEnv();
  const env = testEnv();
  const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
  const fx = hostsFixture({ knownHosts: `${ssh.knownHostsLine}\n` });
  await fx.core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket });
  const docker = await fx.core.engines.docker(ssh.host);
  const name = `bt-bench-forward-${Date.now().toString(36)}`;
  const container = await docker.createContainer({
    name, Image: image, Entrypoint: ['sh', '-c'],
    Cmd: [`mkdir -p /tmp/www && head -c ${mib * 1024 * 1024} /dev/urandom > /tmp/www/blob && echo ok > /tmp/www/small && exec python3 -m http.server 8000 --bind 0.0.0.0 --directory /tmp/www`],
    ExposedPorts: { '8000/tcp': {} },
    HostConfig: { PortBindings: { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
  });
  const knownHosts = join(fx.dir, 'known_hosts.openssh');
  writeFileSync(knownHosts, `${ssh.knownHostsLine}\n`);
  let tunnel: ReturnType<typeof spawn> | undefined;
  try {
    await container.start();
    const remotePort = Number((await container.inspect()).NetworkSettings.Ports['8000/tcp']?.[0]?.HostPort);
    const benchtopPort = await fx.core.hosts.localPort(ssh.host, remotePort);
    const sshPort = await freePort();
    tunnel = spawn('ssh', ['-N', '-i', ssh.identityFile, '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes',
      '-o', 'BatchMode=yes', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${sshPort}:127.0.0.1:${remotePort}`, `${ssh.user}@${ssh.host}`], { stdio: 'ignore' });
    await waitForHttp(`http://127.0.0.1:${benchtopPort}/small`);
    await waitForHttp(`http://127.0.0.1:${sshPort}/small`);

    const small = (port: number) => async () => {
      for (let i = 0; i < requests; i += 1) await (await fetch(`http://127.0.0.1:${port}/small`)).text();
    };
    report(await compare(`${requests} sequential small HTTP requests through the forward`, { name: 'benchtop', run: small(benchtopPort) },
      { name: 'ssh -L', run: small(sshPort) }, runs, 1.1), 'ssh -N -L (OpenSSH)');

    const big = (port: number) => async () => {
      const bytes = await download(`http://127.0.0.1:${port}/blob`);
      if (bytes !== mib * 1024 * 1024) throw new Error(`short download: ${bytes} bytes`);
    };
    const result = await compare(`Download of ${mib} MiB through the forward`, { name: 'benchtop', run: big(benchtopPort) },
      { name: 'ssh -L', run: big(sshPort) }, runs, 1.1);
    report(result, 'ssh -N -L (OpenSSH)');
    const mbps = (ms: number[]) => (mib / (median(ms) / 1000)).toFixed(0);
    process.stdout.write(`  throughput (median): OpenSSH ${mbps(result.plain)} MiB/s, Benchtop ${mbps(result.benchtop)} MiB/s\n`);
  } finally {
    tunnel?.kill();
    await container.remove({ force: true }).catch(() => undefined);
    await fx.close();
  }
}

await main();
