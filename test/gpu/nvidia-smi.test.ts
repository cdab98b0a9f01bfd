import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeGpus, interpretNvidiaSmi } from '../../src/main/core/gpu/nvidia-smi';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/nvidia-smi/${name}`, import.meta.url), 'utf8');
const ok = (name: string) => interpretNvidiaSmi({ stdout: fixture(name), stderr: '', exitCode: 0 });

describe('nvidia-smi output as real drivers print it', () => {
  it('reads one T4 on driver 470 and on driver 535', () => {
    for (const [name, driver, util] of [['t4-driver-470.csv', '470.182.03', 0], ['t4-driver-535.csv', '535.183.01', 37]] as const) {
      const outcome = ok(name);
      expect(outcome).toEqual({
        state: 'ok',
        gpus: [{ index: 0, uuid: expect.stringMatching(/^GPU-[0-9a-f-]{36}$/), name: 'Tesla T4', memoryMiB: 15360, driverVersion: driver, utilizationPercent: util }],
      });
    }
  });

  it('reads four A100s on driver 550 in index order with their load', () => {
    const outcome = ok('a100x4-driver-550.csv');
    if (outcome.state !== 'ok') throw new Error(outcome.detail);
    expect(outcome.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3]);
    expect(outcome.gpus.map((g) => g.utilizationPercent)).toEqual([0, 100, 12, 0]);
    expect(new Set(outcome.gpus.map((g) => g.uuid)).size).toBe(4);
    expect(describeGpus(outcome.gpus)).toBe('4× NVIDIA A100-SXM4-80GB (80 GiB), driver 550.54.15');
  });

  it('reads eight H100s on driver 570', () => {
    const outcome = ok('h100x8-driver-570.csv');
    if (outcome.state !== 'ok') throw new Error(outcome.detail);
    expect(outcome.gpus).toHaveLength(8);
    expect(outcome.gpus[7]).toMatchObject({ index: 7, name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559, driverVersion: '570.124.06' });
  });

  it('keeps a GPU whose fields read [N/A] or [Not Supported], leaving those values out', () => {
    const outcome = ok('geforce-na-fields.csv');
    if (outcome.state !== 'ok') throw new Error(outcome.detail);
    expect(outcome.gpus[0]).toEqual({
      index: 0, uuid: 'GPU-2b5e8d13-9f07-4c6a-b1e2-73d49a0c5f86', name: 'NVIDIA GeForce RTX 3090', memoryMiB: 24576, driverVersion: '535.129.03',
    });
    expect(outcome.gpus[1]).toMatchObject({ name: 'NVIDIA GeForce GTX 1080 Ti', memoryMiB: 0 });
    expect(outcome.gpus[1].utilizationPercent).toBeUndefined();
  });

  it('says "none" for "No devices were found" (exit 6)', () => {
    expect(interpretNvidiaSmi({ stdout: fixture('no-devices.txt'), stderr: '', exitCode: 6 })).toEqual({ state: 'none', detail: 'nvidia-smi found no GPUs' });
  });

  it('says the driver is broken when nvidia-smi cannot talk to it (exit 9) or versions mismatch (exit 18)', () => {
    expect(interpretNvidiaSmi({ stdout: fixture('driver-not-loaded.txt'), stderr: '', exitCode: 9 })).toEqual({
      state: 'driver-error', detail: expect.stringContaining("couldn't communicate with the NVIDIA driver"),
    });
    expect(interpretNvidiaSmi({ stdout: fixture('driver-library-mismatch.txt'), stderr: '', exitCode: 18 })).toEqual({
      state: 'driver-error', detail: 'Failed to initialize NVML: Driver/library version mismatch',
    });
  });

  it('says "missing" when a remote shell cannot find nvidia-smi (exit 127)', () => {
    expect(interpretNvidiaSmi({ stdout: '', stderr: 'bash: line 1: nvidia-smi: command not found\n', exitCode: 127 }).state).toBe('missing');
  });

  it('reports unreadable output as an error quoting it, never as "no GPU"', () => {
    expect(interpretNvidiaSmi({ stdout: 'Segmentation fault\n', stderr: '', exitCode: 139 })).toEqual({ state: 'error', detail: 'Segmentation fault' });
  });
});
