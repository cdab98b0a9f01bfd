import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zonesToTry } from '../../src/main/core/cloud/capacity';
import { cloudError } from '../../src/main/core/cloud/gce-errors';
import { quotaMetricFor, shapeFor } from '../../src/main/core/cloud/gpu-models';
import { instanceSpec } from '../../src/main/core/cloud/instance-spec';
import { forgetVmHostKeys, recordVmHostKeys } from '../../src/main/core/cloud/known-hosts';
import { pricePerHour } from '../../src/main/core/cloud/prices';

const spec = (gpuType: string, gpuCount: number, spot: boolean) => {
  const { model, shape } = shapeFor(gpuType, gpuCount)!;
  return instanceSpec({ name: 'bt-test-vm', zone: 'us-central1-a', model, shape, spot, diskGb: 50, bootImage: 'img', labels: { benchtop: 'vm' }, sshUser: 'benchtop', publicKey: 'ssh-ed25519 AAAA x', maxRunHours: 0, startupScript: '#!/bin/bash' });
};

describe('cloud units', () => {
  it('asks GCE the way it wants: N1 with guestAccelerators, A2 without, spot with STOP, TERMINATE always', () => {
    const a100 = spec('nvidia-tesla-a100', 2, true);
    expect(a100.machineType).toBe('zones/us-central1-a/machineTypes/a2-highgpu-2g');
    expect(a100.guestAccelerators).toBeUndefined();
    expect(a100.scheduling).toEqual({ onHostMaintenance: 'TERMINATE', automaticRestart: false, provisioningModel: 'SPOT', instanceTerminationAction: 'STOP' });
    const v100 = spec('nvidia-tesla-v100', 4, false);
    expect(v100.guestAccelerators).toEqual([{ acceleratorType: 'zones/us-central1-a/acceleratorTypes/nvidia-tesla-v100', acceleratorCount: 4 }]);
    expect(v100.scheduling).toMatchObject({ onHostMaintenance: 'TERMINATE', provisioningModel: 'STANDARD' });
    expect(v100.metadata?.items).toContainEqual({ key: 'enable-guest-attributes', value: 'TRUE' });
    expect(shapeFor('nvidia-tesla-t4', 3)).toBeUndefined();
    expect(quotaMetricFor('nvidia-tesla-t4', true)).toBe('PREEMPTIBLE_NVIDIA_T4_GPUS');
    expect(quotaMetricFor('nvidia-a100-80gb', false)).toBe('NVIDIA_A100_80GB_GPUS');
  });

  it('prices: N1 adds its attached GPUs, G2 carries them, the disk by the hour', () => {
    expect(pricePerHour({ machineType: 'n1-standard-4', attachedGpu: { gpuType: 'nvidia-tesla-t4', count: 1 }, spot: false, diskGb: 0 })).toBe(0.54);
    expect(pricePerHour({ machineType: 'g2-standard-8', spot: true, diskGb: 730 })).toBe(0.44);
    expect(pricePerHour({ machineType: 'unknown-type', spot: false, diskGb: 0 })).toBeNaN();
  });

  it('zones: the preferred ones that list the GPU and take the count, in their order', () => {
    const offered = { zones: ['a-b1-a', 'a-b1-b', 'c-d2-a'], maxPerVm: new Map([['a-b1-a', 8], ['a-b1-b', 2], ['c-d2-a', 8]]) };
    expect(zonesToTry(offered, ['c-d2-a', 'x-y1-z', 'a-b1-a'], 4)).toEqual(['c-d2-a', 'a-b1-a']);
    expect(zonesToTry(offered, [], 4)).toEqual(['a-b1-a', 'c-d2-a']);
  });

  it('GCE failures become coded errors naming what GCE said', () => {
    expect(cloudError('Creating x', [{ code: 'QUOTA_EXCEEDED', message: "Quota 'GPUS_ALL_REGIONS' exceeded.  Limit: 0.0 globally." }])).toMatchObject({ code: 'CLOUD_QUOTA_EXCEEDED', message: expect.stringContaining('GPUS_ALL_REGIONS') });
    expect(cloudError('Creating x', [{ code: 'ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS', message: 'no' }]).code).toBe('CLOUD_STOCKOUT');
    const thrown = Object.assign(new Error(JSON.stringify({ error: { code: 403, message: 'Required compute.instances.create permission', errors: [{ reason: 'forbidden', message: 'denied' }] } })), { code: 403 });
    expect(cloudError('Creating x', thrown)).toMatchObject({ code: 'CLOUD_PERMISSION_DENIED', message: expect.stringContaining('compute.instances.create') });
  });

  it('known_hosts: a VM\'s lines are replaced when its address changes and removed with it; the user\'s lines stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-test-kh-'));
    try {
      const file = join(dir, 'known_hosts');
      writeFileSync(file, 'gpu-box ssh-ed25519 AAAAuser\n10.0.0.9 ssh-ed25519 AAAAother\n');
      const mark = 'benchtop-gce:p/z/vm1';
      await recordVmHostKeys(file, mark, '10.0.0.5', [{ keyType: 'ssh-ed25519', keyBase64: 'AAAAvm1' }]);
      await recordVmHostKeys(file, mark, '10.0.0.6', [{ keyType: 'ssh-ed25519', keyBase64: 'AAAAvm1' }]);
      // Another VM got vm1's old address: vm1's line for it must not stand in the way.
      await recordVmHostKeys(file, 'benchtop-gce:p/z/vm2', '10.0.0.6', [{ keyType: 'ssh-ed25519', keyBase64: 'AAAAvm2' }]);
      expect(readFileSync(file, 'utf8')).toBe('gpu-box ssh-ed25519 AAAAuser\n10.0.0.9 ssh-ed25519 AAAAother\n10.0.0.6 ssh-ed25519 AAAAvm2 benchtop-gce:p/z/vm2\n');
      await forgetVmHostKeys(file, 'benchtop-gce:p/z/vm2');
      expect(readFileSync(file, 'utf8')).toBe('gpu-box ssh-ed25519 AAAAuser\n10.0.0.9 ssh-ed25519 AAAAother\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
