import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../src/main/core/errors';
import { cloudFixture, type CloudFixture } from './support';

let fx: CloudFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const inserts = (f: CloudFixture) => f.server.requests.filter((r) => r.method === 'POST' && /^zones\/[^/]+\/instances$/.test(r.path));
const failure = async (p: Promise<unknown>) => toErrorInfo(await p.then(() => new Error('it did not fail'), (e: unknown) => e));

describe('cloud GPU VMs on the local GCE server', () => {
  it('without credentials answers CLOUD_AUTH_MISSING with the gcloud fix, at once', async () => {
    fx = await cloudFixture();
    const env = { ...fx.env };
    delete env.GOOGLE_APPLICATION_CREDENTIALS;
    const { Core } = await import('../../src/main/core/core');
    const { openConfSettings } = await import('../../src/main/core/settings/conf-store');
    const bare = new Core({ settings: openConfSettings(`${fx.dir}/settings`), shell: 'cli', env });
    try {
      const error = await failure(bare.cloud.list());
      expect(error.code).toBe('CLOUD_AUTH_MISSING');
      expect(error.hint).toContain('gcloud auth application-default login');
    } finally {
      await bare.close();
    }
  });

  it('creates past a stockout, becomes an SSH host by its published key, is found again after a restart, stops, starts, resizes and is deleted', async () => {
    fx = await cloudFixture({}, { zones: ['europe-west4-a', 'europe-west4-b'] });
    fx.server.faults.stockoutZones.add('europe-west4-a');
    fx.server.faults.earlyWaits = 3;
    const vm = await fx.core.cloud.create(fx.core.ops.create('bt-test-create'), { opId: 'bt-test-create', gpuType: 'nvidia-tesla-t4', gpuCount: 1 });
    expect(vm).toMatchObject({ zone: 'europe-west4-b', status: 'RUNNING', gpuType: 'nvidia-tesla-t4', gpuCount: 1, mine: true, interrupted: false, hostId: vm.name });
    expect(fx.steps.map((s) => s.detail ?? '')).toContainEqual(expect.stringContaining('europe-west4-a has no capacity (ZONE_RESOURCE_POOL_EXHAUSTED)'));
    // What GCE was asked for: an N1 type with the T4 attached, TERMINATE on maintenance, labels on VM and disk, a requestId.
    const [first, second] = inserts(fx);
    expect(first.query).toMatch(/requestId=[0-9a-f-]{36}/);
    expect(second.query).not.toBe(first.query);
    expect(second.body).toMatchObject({
      machineType: 'zones/europe-west4-b/machineTypes/n1-standard-4',
      guestAccelerators: [{ acceleratorType: 'zones/europe-west4-b/acceleratorTypes/nvidia-tesla-t4', acceleratorCount: 1 }],
      scheduling: { onHostMaintenance: 'TERMINATE', provisioningModel: 'STANDARD', instanceTerminationAction: 'STOP', maxRunDuration: { seconds: '7200' } },
      labels: { benchtop: 'vm' },
      disks: [{ boot: true, autoDelete: true, initializeParams: { labels: { benchtop: 'vm' } } }],
    });
    // The host key came from guest attributes and sits in known_hosts, marked as this VM's.
    expect(readFileSync(fx.knownHosts, 'utf8')).toMatch(new RegExp(`^${vm.address!.replace(/\./g, '\\.')} ssh-ed25519 \\S+ benchtop-gce:bt-test-project/europe-west4-b/${vm.name}$`, 'm'));
    const who = await fx.core.hosts.exec(vm.hostId!, 'id -un');
    expect(who.stdout.trim()).toBe('btcloud');

    // The app again: the VM is found by its labels, as the host it was.
    const again = fx.reopen();
    expect(await again.cloud.list()).toEqual([expect.objectContaining({ name: vm.name, status: 'RUNNING', hostId: vm.name, mine: true, interrupted: false })]);

    const stopped = await again.cloud.stop(again.ops.create('bt-test-stop'), vm.name);
    expect(stopped).toMatchObject({ status: 'TERMINATED', hostId: vm.name, interrupted: false });
    const busy = await failure(again.cloud.resize(again.ops.create('bt-test-resize-0'), vm.name, 'n1-standard-8', false));
    expect(busy.code).not.toBe('CLOUD_VM_BUSY'); // a stopped VM can be resized without asking
    const started = await again.cloud.start(again.ops.create('bt-test-start'), vm.name);
    expect(started).toMatchObject({ status: 'RUNNING', machineType: 'n1-standard-8', hostId: vm.name });
    expect((await again.hosts.exec(vm.name, 'echo ok')).stdout.trim()).toBe('ok');

    const refused = await failure(again.cloud.resize(again.ops.create('bt-test-resize-1'), vm.name, 'n1-standard-16', false));
    expect(refused.code).toBe('CLOUD_VM_BUSY');
    const resized = await again.cloud.resize(again.ops.create('bt-test-resize-2'), vm.name, 'n1-standard-16', true);
    expect(resized).toMatchObject({ status: 'RUNNING', machineType: 'n1-standard-16' });

    await again.cloud.remove(again.ops.create('bt-test-delete'), vm.name);
    expect(await again.cloud.list()).toEqual([]);
    expect(again.hosts.configs().map((h) => h.id)).not.toContain(vm.name);
    expect(readFileSync(fx.knownHosts, 'utf8')).not.toContain(vm.name);
  });
});
