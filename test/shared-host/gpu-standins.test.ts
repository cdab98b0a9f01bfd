import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NVIDIA_SMI_ARGS } from '../../src/main/core/gpu/nvidia-smi';
import { testEnv } from '../support/env';
import { analystAccounts, sshHostEnv } from '../support/ssh-host';
import { gpuState, simulatedGpuIds, updateGpuState, writeGpuState, type GpuState } from '../support/ssh-host-gpus';
import { sshHostFixture, type HostsFixture } from '../hosts/support';

/** The team's test host: two analysts log in with their own keys and see four simulated GPUs. */
describe('the test GPU host (two analysts, four simulated GPUs)', () => {
  const env = testEnv();
  const image = `${env.registry}/${env.image.repository}@${env.image.versions[env.image.latest].digest}`;
  const [alice, bob] = analystAccounts();
  const cards = simulatedGpuIds();
  let ana: { fx: HostsFixture; target: string };
  let ben: { fx: HostsFixture; target: string };
  const created: string[] = [];

  beforeAll(async () => {
    ana = await sshHostFixture(image, alice);
    ben = await sshHostFixture(undefined, bob);
  });
  afterAll(async () => {
    const docker = await ana.fx.core.engines.docker(ana.target);
    for (const name of created) await docker.getContainer(name).remove({ force: true }).catch((e: unknown) => console.warn(`cleanup ${name}: ${String(e)}`));
    await ana.fx.close();
    await ben.fx.close();
  });

  it('each analyst logs in as themself, and nvidia-smi there lists the four cards', async () => {
    for (const { fx, target, user } of [{ ...ana, user: alice.user }, { ...ben, user: bob.user }]) {
      const who = await fx.core.hosts.exec(target, 'id -un; id -nG', 15_000);
      expect(who.stdout.split('\n')[0]).toBe(user);
      expect(who.stdout).toContain('bt-gpuhost-docker');
      const smi = await fx.core.hosts.exec(target, `nvidia-smi ${NVIDIA_SMI_ARGS.join(' ')}`, 15_000);
      expect(smi.exitCode).toBe(0);
      expect(smi.stdout.trim().split('\n').map((l) => l.split(', ').slice(0, 2).join(', '))).toEqual(cards.map((uuid, i) => `${i}, ${uuid}`));
    }
  });

  it('nvidia-smi prints what the state file says: utilization, memory and processes', async () => {
    const pid = 4_000_000 + Math.floor(Math.random() * 1000);
    let before: GpuState | undefined;
    try {
      before = updateGpuState((s) => {
        s.gpus[2].utilizationPercent = 87;
        s.processes.push({ gpuUuid: cards[2], pid, name: 'python3', usedMemoryMiB: 5120 });
      });
      const gpus = await ana.fx.core.hosts.exec(ana.target, 'nvidia-smi --query-gpu=index,utilization.gpu,memory.used --format=csv,noheader,nounits -i 2', 15_000);
      expect(gpus.stdout.trim()).toBe('2, 87, 5120');
      const apps = await ben.fx.core.hosts.exec(ben.target, 'nvidia-smi --query-compute-apps=pid,used_memory,gpu_uuid --format=csv', 15_000);
      expect(apps.stdout).toContain('pid, used_gpu_memory [MiB], gpu_uuid');
      expect(apps.stdout).toContain(`${pid}, 5120 MiB, ${cards[2]}`);
    } finally {
      // Shared by every test on this machine: put back only what this test changed.
      if (before) {
        const now = gpuState();
        now.gpus[2].utilizationPercent = before.gpus[2].utilizationPercent;
        now.processes = now.processes.filter((p) => p.pid !== pid);
        writeGpuState(now);
      }
    }
  });

  it('a container started with DeviceRequests gets exactly its cards in NVIDIA_VISIBLE_DEVICES', async () => {
    const docker = await ana.fx.core.engines.docker(ana.target);
    const start = async (deviceIds: string[]): Promise<Docker.Container> => {
      const name = `bt-test-gpu-${randomBytes(4).toString('hex')}`;
      created.push(name);
      const container = await docker.createContainer({
        name, Image: image, Entrypoint: ['sleep'], Cmd: ['300'],
        HostConfig: { DeviceRequests: [{ Driver: 'nvidia', DeviceIDs: deviceIds, Capabilities: [['gpu']] }] },
      });
      await container.start();
      return container;
    };
    // The engine puts the variable into the container's process env (not its config), as with real cards.
    const visible = async (container: Docker.Container): Promise<string> => {
      const exec = await container.exec({ Cmd: ['cat', '/proc/1/environ'], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      const out = { write: (c: Buffer) => chunks.push(c) };
      docker.modem.demuxStream(stream, out as never, out as never);
      await new Promise((resolve) => stream.on('end', resolve));
      const line = Buffer.concat(chunks).toString('utf8').split('\0').find((l) => l.startsWith('NVIDIA_VISIBLE_DEVICES='));
      return line?.slice('NVIDIA_VISIBLE_DEVICES='.length) ?? '(not set)';
    };
    const one = await start([cards[1]]);
    const two = await start([cards[0], cards[3]]);
    expect(await visible(one)).toBe(cards[1]);
    expect(await visible(two)).toBe(`${cards[0]},${cards[3]}`);
  });

  it('this computer itself has no GPUs: its engine refuses the nvidia driver and has no nvidia-smi', async () => {
    const docker = await ana.fx.core.engines.docker('local');
    const name = `bt-test-gpu-local-${randomBytes(4).toString('hex')}`;
    const attempt = docker.createContainer({ name, Image: image, HostConfig: { DeviceRequests: [{ Driver: 'nvidia', DeviceIDs: [cards[0]], Capabilities: [['gpu']] }] } })
      .then(async (c) => { await c.start(); return c; });
    await expect(attempt).rejects.toThrow(/could not select device driver/);
    await docker.getContainer(name).remove({ force: true }).catch(() => undefined); // created, then refused at start
    expect((await ana.fx.core.gpus.probe('local')).state).toBe('missing');
    expect(sshHostEnv().gpus.count).toBe(4);
  });
});
