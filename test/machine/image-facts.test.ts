import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpretNvidiaSmi } from '../../src/main/core/gpu/nvidia-smi';
import { registryImageFacts } from '../../src/main/core/machine/registry-facts';
import { MachineCheckService } from '../../src/main/core/machine/service';
import type { ProjectFacts } from '../../src/main/core/machine/types';
import { testEnv } from '../support/env';
import { pushImage, pushIndex, type PushedImage } from './registry-image';
import { result, testCore } from './support';

/** Images that exist only on the loopback registry (never pulled), so their facts come from it. */
const core = testCore();
const pushed: PushedImage[] = [];
let registry = '';
const project = (image: string, hostRequirements: ProjectFacts['hostRequirements'] = {}): ProjectFacts => ({ image, pinned: null, hostRequirements });
const t4 = readFileSync(new URL('../fixtures/nvidia-smi/t4-driver-535.csv', import.meta.url), 'utf8');

let silent: Server;
const held: Socket[] = [];
beforeAll(async () => {
  registry = testEnv().registry;
  silent = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const s of held) s.destroy();
  silent.close();
  await core.close();
  // Best effort: the test registry may not allow deletes.
  await Promise.all(pushed.map((p) => fetch(`http://${registry}/v2/${p.repository.slice(registry.length + 1)}/manifests/${p.digest}`, { method: 'DELETE' }).catch(() => undefined)));
});

describe('the pinned image’s facts, from the registry', () => {
  it('fails the architecture check for an image built only for arm64', async () => {
    const image = await pushImage(registry, { architecture: 'arm64' });
    pushed.push(image);
    const arch = result(await core.ops.run('i1', (op) => core.machine.check(op, { project: project(image.ref) })), 'arch');
    expect(arch).toMatchObject({
      status: 'fail', code: 'IMAGE_PLATFORM_MISSING', value: 'amd64; image built for linux/arm64', requirement: 'a linux/amd64 build of the project image',
      hint: expect.stringContaining('publish linux/amd64'),
    });
  });

  it('fails it too for a multi-platform index without this platform, with the registry’s words', async () => {
    const single = await pushImage(registry, { architecture: 'arm64' });
    const index = await pushIndex(registry, single, 'arm64');
    pushed.push(single, index);
    const arch = result(await core.ops.run('i2', (op) => core.machine.check(op, { project: project(index.ref) })), 'arch');
    expect(arch).toMatchObject({ status: 'fail', code: 'IMAGE_PLATFORM_MISSING', value: expect.stringContaining('has no linux/amd64 variant (it has linux/arm64)') });
  });

  it('reads the CUDA label and the download size without pulling', async () => {
    const image = await pushImage(registry, { architecture: 'amd64', labels: { 'dev.benchtop.cuda': '12.4' }, layerBytes: 64 * 1024 });
    pushed.push(image);
    expect(await registryImageFacts(core.registry)(image.ref, AbortSignal.timeout(3000))).toEqual({
      platforms: ['linux/amd64'], sizeBytes: expect.any(Number), cudaVersion: '12.4',
    });
    const machine = new MachineCheckService({
      engines: core.engines, settings: core.settings, clock: core.clock, env: {},
      gpuProbe: async () => interpretNvidiaSmi({ stdout: t4, stderr: '', exitCode: 0 }),
      registryFacts: registryImageFacts(core.registry),
    });
    const report = await core.ops.run('i3', (op) => machine.check(op, { project: project(image.ref, { storage: '1gb', gpu: true }) }));
    expect(result(report, 'arch')).toMatchObject({ status: 'pass', value: 'amd64; image built for linux/amd64' });
    expect(result(report, 'gpu-driver')).toMatchObject({ status: 'warn', value: 'driver 535.183.01, image built for CUDA 12.4' });
    expect(result(report, 'disk')).toMatchObject({ status: 'pass', requirement: expect.stringMatching(/^≥ 1\.0 GiB: 1 GiB \(hostRequirements\.storage 1gb\) \+ ~0\.0 GiB to pull and unpack the image$/) });
  });

  it('checks the team’s real analysis image as pinned', async () => {
    const env = testEnv();
    const digest = env.image.versions[env.image.latest].digest;
    const pinned: ProjectFacts = { image: `${registry}/${env.image.repository}@${digest}`, pinned: { repository: `${registry}/${env.image.repository}`, digest }, hostRequirements: {} };
    const report = await core.ops.run('i4', (op) => core.machine.check(op, { project: pinned }));
    expect(result(report, 'arch')).toMatchObject({ status: 'pass', value: 'amd64; image built for linux/amd64' });
    expect(report.summary.fail).toBe(0);
  });

  it('still answers, saying what it could not learn, when the registry accepts and never answers', { timeout: 15_000 }, async () => {
    const port = (silent.address() as { port: number }).port;
    const report = await core.ops.run('i5', (op) => core.machine.check(op, { project: project(`127.0.0.1:${port}/team/analysis:1`) }));
    expect(result(report, 'arch')).toMatchObject({ status: 'pass', value: expect.stringMatching(/^amd64; image platforms unknown \(.+\)$/) });
  });
});
