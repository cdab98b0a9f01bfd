import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/core/api';
import { cloudFixture, PROJECT, type CloudFixture } from './support';

let fx: CloudFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const today = () => new Date().toISOString().slice(0, 10);
const t4 = (options: Awaited<ReturnType<CloudFixture['core']['cloud']['options']>>) =>
  options.offers.find((o) => o.gpuType === 'nvidia-tesla-t4')!.shapes.find((s) => s.gpuCount === 1)!;

describe('prices from the Cloud Billing Catalog API (local server)', () => {
  it('fetches both SKU pages with the credentials, prices the preferred region, caches the catalog with its date, and uses the cache after a restart', async () => {
    fx = await cloudFixture({}, { zones: ['europe-west4-a', 'europe-west4-b'] });
    const options = await fx.core.cloud.options();
    // Two pages, joined by nextPageToken, in USD.
    expect(fx.server.billingRequests.map((r) => new URLSearchParams(r.query).get('pageToken'))).toEqual([null, 'bt-test-page-2']);
    expect(new URLSearchParams(fx.server.billingRequests[0].query).get('currencyCode')).toBe('USD');
    // User credentials need a quota project: the cloud project is billed for the call.
    expect(fx.server.billingRequests.map((r) => r.quotaProject)).toEqual([PROJECT, PROJECT]);
    expect(options).toMatchObject({ catalogOrigin: 'billing-api', catalogRegion: 'europe-west4', catalogDate: today() });
    expect(options.catalogNote).toBeUndefined();
    // n1-standard-4 (4 vCPU, 15 GiB) + one T4 at europe-west4's prices (10 % over us-central1's): not the shipped $0.54.
    expect(t4(options).pricePerHour).toBeCloseTo(4 * 0.0347721 + 15 * 0.0046607 + 0.385, 2);
    expect(t4(options).pricePerHour).not.toBeCloseTo(0.54, 2);
    // The L4's G2 type carries its GPU: vCPUs + memory + the card.
    const l4 = options.offers.find((o) => o.gpuType === 'nvidia-l4')!.shapes.find((s) => s.gpuCount === 1)!;
    expect(l4.pricePerHour).toBeCloseTo((8 * 0.024988 + 32 * 0.002927 + 0.560278) * 1.1, 2);
    expect(options.diskPricePerGbMonth).toBeCloseTo(0.11, 3);

    type Catalog = { date: string; region: string; origin: string; gpus: Record<string, { onDemand: number }> };
    const cached = JSON.parse(readFileSync(join(fx.dir, 'settings', 'cloud', 'price-catalog.json'), 'utf8')) as Catalog & { otherRegions: Record<string, Catalog> };
    expect(cached).toMatchObject({ date: today(), region: 'europe-west4', origin: 'billing-api' });
    expect(cached.gpus['nvidia-tesla-t4'].onDemand).toBeCloseTo(0.385, 3);
    // The other regions the GPU SKUs name are priced too (a VM the sweep put there costs that region's rates);
    // southamerica-east1, with one on-demand GPU SKU and nothing else, prices nothing of the catalog and is left out.
    expect(Object.keys(cached.otherRegions).sort()).toEqual(['us-central1']);
    expect(cached.otherRegions['us-central1'].gpus['nvidia-tesla-t4'].onDemand).toBeCloseTo(0.35, 3);

    // Within the week: no second fetch, in this process or after a restart.
    await fx.core.cloud.options();
    const again = fx.reopen();
    const reopened = await again.cloud.options();
    expect(fx.server.billingRequests).toHaveLength(2);
    expect(reopened).toMatchObject({ catalogOrigin: 'billing-api', catalogDate: today() });
    expect(t4(reopened).pricePerHour).toBe(t4(options).pricePerHour);
    // Asked for, it fetches again.
    await again.cloud.options(undefined, true);
    expect(fx.server.billingRequests).toHaveLength(4);
  });

  it('prices a VM at the rates of the region it landed in, not those of the preferred zones', async () => {
    fx = await cloudFixture({}, { zones: ['europe-west4-a'] });
    await fx.core.cloud.options();
    const vm = await createHandlers(fx.core).cloudVmCreate({ opId: 'bt-test-price-region', gpuType: 'nvidia-tesla-t4', gpuCount: 1, zones: ['us-central1-a'], diskGb: 100 });
    expect(vm.zone).toBe('us-central1-a');
    // us-central1: n1-standard-4 + T4 = $0.54, + 100 GB at $0.10 per GB-month; europe-west4 would be $0.61.
    expect(vm).toMatchObject({ priceOrigin: 'billing-api', priceDate: today() });
    expect(vm.pricePerHour).toBeCloseTo(0.54 + 10 / 730, 2);
    await createHandlers(fx.core).cloudVmDelete({ opId: 'bt-test-price-region-rm', name: vm.name });
  });

  it('falls back to the shipped catalog with the reason when the Catalog API refuses, and never fails the price list', async () => {
    fx = await cloudFixture({}, { zones: ['europe-west4-a'] });
    fx.server.faults.billingDisabled = true;
    const options = await fx.core.cloud.options();
    expect(fx.server.billingRequests).toHaveLength(1);
    expect(options).toMatchObject({ catalogOrigin: 'shipped', catalogDate: '2026-11-01' });
    expect(options.catalogNote).toContain('CLOUD_PERMISSION_DENIED');
    expect(options.catalogNote).toContain('Cloud Billing API has not been used');
    expect(t4(options).pricePerHour).toBeCloseTo(0.54, 3);
    expect(existsSync(join(fx.dir, 'settings', 'cloud', 'price-catalog.json'))).toBe(false);
  });
});
