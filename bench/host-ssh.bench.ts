/**
 * Docker API calls to the shared GPU host over SSH: Benchtop's one long-lived, host-key-checked SSH
 * connection (each request a channel on it) against dockerode's own `protocol: 'ssh'`, the plain
 * library way, which opens a new SSH connection and runs `docker system dial-stdio` per request.
 * Each run lists the host's containers `calls` times in sequence. Goal: <= 1.0x.
 *
 *   node --import tsx bench/host-ssh.bench.ts [runs] [calls]
 */
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { hostsFixture, specOf } from '../test/hosts/support';
import { sshHostEnv } from '../test/support/ssh-host';
import { compare, report } from './support/timing';

const runs = Number(process.argv[2] ?? 5);
const calls = Number(process.argv[3] ?? 20);

async function main(): Promise<void> {
  const ssh = sshHostEnv();
  const fx = hostsFixture({ knownHosts: `${ssh.knownHostsLine}\n` });
  await fx.core.hosts.add({ spec: specOf(ssh), identityFile: ssh.identityFile, dockerSocket: ssh.dockerSocket });
  const plain = new Docker({
    protocol: 'ssh', host: ssh.host, port: ssh.port, username: ssh.user,
    sshOptions: { privateKey: readFileSync(ssh.identityFile) },
  } as Docker.DockerOptions);
  const connectsBefore = fx.core.hosts.connection(ssh.host).connects;
  try {
    const result = await compare(`${calls} sequential container lists on ${ssh.user}@${ssh.host} over SSH`, {
      name: 'benchtop',
      run: async () => {
        const docker = await fx.core.engines.docker(ssh.host);
        for (let i = 0; i < calls; i += 1) await docker.listContainers({ all: true });
      },
    }, {
      name: "dockerode protocol 'ssh'",
      run: async () => {
        for (let i = 0; i < calls; i += 1) await plain.listContainers({ all: true });
      },
    }, runs, 1.0);
    report(result, "dockerode protocol 'ssh' (dial-stdio)");
    const connects = fx.core.hosts.connection(ssh.host).connects - connectsBefore;
    process.stdout.write(`  SSH connections: Benchtop 1 (opened when the host was added; ${connects} more during ${(runs + 1) * calls} requests), dockerode ssh ${(runs + 1) * calls} (one per request)\n`);
  } finally {
    await fx.close();
  }
}

await main();
