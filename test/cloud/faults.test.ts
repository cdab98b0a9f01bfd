import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../src/main/core/errors';
import { runCli } from '../support/cli';
import { cloudFixture, type CloudFixture } from './support';

let fx: CloudFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const insertZones = (f: CloudFixture) => f.server.requests.filter((r) => r.method === 'POST' && /^zones\/[^/]+\/instances$/.test(r.path)).map((r) => r.path.split('/')[1]);
const failure = async (p: Promise<unknown>) => toErrorInfo(await p.then(() => new Error('it did not fail'), (e: unknown) => e));

describe('cloud capacity and failures, as GCE reports them', () => {
  it('GPUS_ALL_REGIONS quota stops the sweep at the first zone and names the quota', async () => {
    fx = await cloudFixture();
    fx.server.faults.quotaExceeded = 'GPUS_ALL_REGIONS';
    const error = await failure(fx.core.cloud.create(fx.core.ops.create('bt-test-quota'), { opId: 'bt-test-quota', gpuType: 'nvidia-tesla-t4', gpuCount: 1 }));
    expect(error.code).toBe('CLOUD_QUOTA_EXCEEDED');
    expect(error.message).toContain('GPUS_ALL_REGIONS');
    expect(insertZones(fx)).toHaveLength(1);
  });

  it('skips a region whose GPU quota is used up, and counts a VM gone (404) right after its insert as a stockout', async () => {
    fx = await cloudFixture({ quotas: { 'europe-west4': [{ metric: 'NVIDIA_T4_GPUS', limit: 4, usage: 4 }], 'us-central1': [{ metric: 'NVIDIA_T4_GPUS', limit: 8, usage: 0 }] } });
    fx.server.faults.notFoundAfterInsert.add('us-central1-a');
    const error = await failure(fx.core.cloud.create(fx.core.ops.create('bt-test-404'), { opId: 'bt-test-404', gpuType: 'nvidia-tesla-t4', gpuCount: 1 }));
    expect(error.code).toBe('CLOUD_STOCKOUT');
    expect(error.message).toContain('us-central1-a: NOT_FOUND_AFTER_INSERT');
    expect(insertZones(fx)).toEqual(['us-central1-a']);
    expect(fx.steps.map((s) => s.detail)).toContainEqual(expect.stringContaining('skipping europe-west4: NVIDIA_T4_GPUS 4 of 4 in use'));
  });

  it('an operation failing after it ran is an error with GCE\'s words, not a reason to try the next zone', async () => {
    fx = await cloudFixture({}, { zones: ['europe-west4-a', 'europe-west4-b'] });
    fx.server.faults.failAfterRunning.add('europe-west4-a');
    fx.server.faults.earlyWaits = 2;
    const error = await failure(fx.core.cloud.create(fx.core.ops.create('bt-test-fail'), { opId: 'bt-test-fail', gpuType: 'nvidia-tesla-t4', gpuCount: 1 }));
    expect(error.code).toBe('CLOUD_ERROR');
    expect(error.message).toContain('INTERNAL_ERROR');
    expect(insertZones(fx)).toEqual(['europe-west4-a']);
  });

  it('a create cut short leaves a VM the list calls interrupted, which its owner deletes', async () => {
    fx = await cloudFixture({}, { zones: ['europe-west4-a'] });
    fx.server.faults.holdInserts = true;
    const creating = fx.core.ops.run('bt-test-cut', (op) => fx!.core.cloud.create(op, { opId: 'bt-test-cut', gpuType: 'nvidia-l4', gpuCount: 1 }));
    while (!fx.server.instances().length) await new Promise((r) => setTimeout(r, 100));
    fx.core.ops.cancel('bt-test-cut');
    expect((await failure(creating)).code).toBe('CANCELLED');
    fx.server.release();
    const again = fx.reopen();
    const [vm] = await again.cloud.list();
    expect(vm).toMatchObject({ interrupted: true, mine: true, machineType: 'g2-standard-8', gpuType: 'nvidia-l4', gpuCount: 1 });
    // G2 carries its L4: no guestAccelerators were asked for.
    expect(fx.server.instance(vm.name)?.guestAccelerators).toBeUndefined();
    await again.cloud.remove(again.ops.create('bt-test-cut-rm'), vm.name);
    expect(await again.cloud.list()).toEqual([]);
  });

  it('benchtop cloud: prices from the dated catalog (the Catalog API refusing), then refreshed, create failing with its code in --json, ls', async () => {
    fx = await cloudFixture({}, { zones: ['europe-west4-a', 'europe-west4-b'] });
    fx.server.faults.stockoutZones.add('europe-west4-a').add('europe-west4-b');
    fx.server.faults.billingDisabled = true;
    const env = { ...fx.env, BENCHTOP_HOME: join(fx.dir, 'settings') };
    const prices = await runCli('source', ['cloud', 'prices'], { env });
    expect(prices.code).toBe(0);
    expect(prices.stdout).toMatch(/nvidia-tesla-t4\s+1\s+n1-standard-4\s+\$0\.54\/h/);
    expect(prices.stdout).toContain('Prices: catalog shipped with Benchtop, 2026-11-01, us-central1');
    expect(prices.stdout).toContain('Prices not refreshed (CLOUD_PERMISSION_DENIED: The Cloud Billing Catalog API answered 403');
    fx.server.faults.billingDisabled = false;
    const refreshed = await runCli('source', ['cloud', 'prices', '--refresh'], { env });
    expect(refreshed.stdout).toMatch(/nvidia-tesla-t4\s+1\s+n1-standard-4\s+\$0\.59\/h/);
    expect(refreshed.stdout).toContain(`Prices: Cloud Billing Catalog API, ${new Date().toISOString().slice(0, 10)}, europe-west4`);
    const create = await runCli('source', ['cloud', 'create', '--gpu', 'nvidia-tesla-t4', '--json'], { env });
    expect(create.code, create.stdout + create.stderr).toBe(2);
    expect(JSON.parse(create.stdout).error.code).toBe('CLOUD_STOCKOUT');
    const ls = await runCli('source', ['cloud', 'ls', '--json'], { env });
    expect(ls.code).toBe(0);
    expect(JSON.parse(ls.stdout)).toEqual([]);
    const typo = await runCli('source', ['cloud', 'create', '--gpus', '2'], { env });
    expect(typo.code).toBe(64);
  }, 360_000);
});
