import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpretNvidiaSmi } from '../../src/main/core/gpu/nvidia-smi';
import { MachineCheckService } from '../../src/main/core/machine/service';
import type { ProjectFacts } from '../../src/main/core/machine/types';
import { buildTinyImage, removeImage } from '../gpu/tiny-image';
import { result, testCore } from './support';

/**
 * No GPU on this machine: the GPU rows are fed recorded nvidia-smi outputs (through the same parser
 * the real run uses); the engine and the image (a real local image labelled CUDA 12.4) are real.
 */
const core = testCore();
let image = '';
beforeAll(() => {
  image = buildTinyImage({ 'dev.benchtop.cuda': '12.4' });
});
afterAll(async () => {
  await core.close();
  removeImage(image);
});

function machineWith(fixture: string, exitCode = 0): MachineCheckService {
  const stdout = readFileSync(new URL(`../fixtures/nvidia-smi/${fixture}`, import.meta.url), 'utf8');
  return new MachineCheckService({
    engines: core.engines, settings: core.settings, clock: core.clock, env: {},
    gpuProbe: async () => interpretNvidiaSmi({ stdout, stderr: '', exitCode }),
  });
}
const project = (gpu?: boolean | 'optional'): ProjectFacts => ({ image, pinned: null, hostRequirements: gpu === undefined ? {} : { gpu } });

describe('GPU checks against recorded nvidia-smi outputs and a real CUDA-labelled image', () => {
  it('passes a driver new enough for the image’s CUDA and lists the cards', async () => {
    const report = await core.ops.run('g1', (op) => machineWith('a100x4-driver-550.csv').check(op, { project: project(true) }));
    expect(result(report, 'gpu')).toMatchObject({ status: 'pass', value: '4× NVIDIA A100-SXM4-80GB (80 GiB), driver 550.54.15' });
    expect(result(report, 'gpu-driver')).toMatchObject({
      status: 'pass', value: 'driver 550.54.15, image built for CUDA 12.4', requirement: 'driver ≥ 550.54.14 for CUDA 12.4',
    });
    expect(result(report, 'arch')).toMatchObject({ status: 'pass', value: expect.stringContaining('image built for linux/amd64') });
  });

  it('warns on a driver that only runs the image under CUDA minor-version compatibility', async () => {
    const report = await core.ops.run('g2', (op) => machineWith('t4-driver-535.csv').check(op, { project: project(true) }));
    expect(result(report, 'gpu-driver')).toMatchObject({ status: 'warn', hint: expect.stringMatching(/minor-version compatibility.*Upgrade the NVIDIA driver to 550\.54\.14/) });
  });

  it('fails a driver too old for the image’s CUDA major', async () => {
    const report = await core.ops.run('g3', (op) => machineWith('t4-driver-470.csv').check(op, { project: project(true) }));
    expect(result(report, 'gpu-driver')).toMatchObject({ status: 'fail', value: 'driver 470.182.03, image built for CUDA 12.4', hint: expect.stringContaining('550.54.14') });
  });

  it('warns that this engine has no NVIDIA runtime when GPUs exist', async () => {
    const report = await core.ops.run('g4', (op) => machineWith('h100x8-driver-570.csv').check(op, {}));
    expect(result(report, 'gpu-runtime')).toMatchObject({
      status: 'warn', code: 'ENGINE_NO_GPU_RUNTIME', value: expect.stringContaining('runtimes: '), hint: expect.stringContaining('nvidia-ctk runtime configure'),
    });
    expect(result(report, 'gpu-driver')).toMatchObject({ status: 'skipped', value: 'driver 570.124.06; no project image to compare with' });
  });

  it('fails a required GPU when the driver is not loaded, and only warns when the GPU is optional', async () => {
    const required = await core.ops.run('g5', (op) => machineWith('driver-not-loaded.txt', 9).check(op, { project: project(true) }));
    expect(result(required, 'gpu')).toMatchObject({
      status: 'fail', code: 'GPU_UNAVAILABLE', value: expect.stringContaining("couldn't communicate with the NVIDIA driver"), hint: expect.stringContaining('Reinstall the NVIDIA driver'),
    });
    const optional = await core.ops.run('g6', (op) => machineWith('driver-not-loaded.txt', 9).check(op, { project: project('optional') }));
    expect(result(optional, 'gpu').status).toBe('warn');
  });

  it('treats "No devices were found" as no GPU', async () => {
    const report = await core.ops.run('g7', (op) => machineWith('no-devices.txt', 6).check(op, { project: project(true) }));
    expect(result(report, 'gpu')).toMatchObject({ status: 'fail', code: 'GPU_REQUIRED', value: 'no NVIDIA GPU (nvidia-smi found no GPUs)' });
    expect(result(report, 'gpu-runtime').status).toBe('skipped');
  });
});
