import { describe, expect, it } from 'vitest';
import { pricePerHour, SHIPPED_CATALOG } from '../../src/main/core/cloud/prices';
import { pricesFromSkus, type BillingSku } from '../../src/main/core/cloud/sku-prices';
import { vmInfo } from '../../src/main/core/cloud/vm-info';
import { computeSkus } from './billing-skus';

const price = (units: number, nanos: number, usageUnit = 'h') => [{ pricingExpression: { usageUnit, tieredRates: [{ startUsageAmount: 0, unitPrice: { currencyCode: 'USD', units: String(units), nanos } }] } }];

describe('prices from Compute Engine SKUs', () => {
  it('prices each catalog entry from the region\'s parts, skipping commitments, workstations and other regions', () => {
    const { catalog, missing } = pricesFromSkus(computeSkus(), 'us-central1', SHIPPED_CATALOG, '2026-12-02');
    expect(missing).toEqual([]);
    expect(catalog).toMatchObject({ date: '2026-12-02', region: 'us-central1', origin: 'billing-api', diskPerGbMonth: { 'pd-balanced': 0.1 } });
    // n1-standard-4: 4 vCPU × 0.031611 + 15 GiB × 0.004237 (the T4 is priced per card).
    expect(catalog.machineTypes['n1-standard-4'].onDemand).toBeCloseTo(0.19, 3);
    expect(catalog.gpus['nvidia-tesla-t4']).toEqual({ onDemand: 0.35, spot: 0.14 });
    // a2-highgpu-1g: 12 vCPU + 85 GiB + one A100, close to GCE's published $3.67.
    expect(catalog.machineTypes['a2-highgpu-1g'].onDemand).toBeCloseTo(3.67, 2);
    expect(catalog.machineTypes['a2-highgpu-1g'].spot).toBeLessThan(catalog.machineTypes['a2-highgpu-1g'].onDemand);
  });

  it('keeps the shipped price of what the SKUs lack and names it; later pricingInfo and the last tier win', () => {
    const skus: BillingSku[] = [
      { description: 'Nvidia Tesla T4 GPU running in Americas', category: { resourceGroup: 'GPU', usageType: 'OnDemand' }, serviceRegions: ['us-central1'],
        pricingInfo: [...price(9, 0), { pricingExpression: { usageUnit: 'h', tieredRates: [{ startUsageAmount: 0, unitPrice: { units: '0', nanos: 0 } }, { startUsageAmount: 10, unitPrice: { units: '0', nanos: 400_000_000 } }] } }] },
      { description: 'Nvidia Tesla T4 GPU running in Americas', category: { resourceGroup: 'GPU', usageType: 'Commit1Yr' }, serviceRegions: ['us-central1'], pricingInfo: price(0, 100_000_000) },
      { description: 'N1 Predefined Instance Ram running in Americas', category: { resourceGroup: 'N1Standard', usageType: 'OnDemand' }, serviceRegions: ['us-central1'], pricingInfo: price(0, 4_000_000, 'h') },
    ];
    const { catalog, missing } = pricesFromSkus(skus, 'us-central1', SHIPPED_CATALOG, '2026-12-02');
    expect(catalog.gpus['nvidia-tesla-t4']).toEqual({ onDemand: 0.4, spot: SHIPPED_CATALOG.gpus['nvidia-tesla-t4'].spot });
    expect(missing).toContain('nvidia-tesla-t4');
    // A RAM price per hour instead of per GiB-hour is not used: n1 keeps its shipped prices.
    expect(catalog.machineTypes['n1-standard-4']).toEqual(SHIPPED_CATALOG.machineTypes['n1-standard-4']);
    expect(missing).toEqual(expect.arrayContaining(['n1-standard-4', 'pd-balanced']));
  });

  it('prices an N1 type the catalog does not list (after a resize) by its vCPUs and memory, shipped or refreshed', () => {
    // n1-highmem-8: 8 vCPUs, 52 GiB.
    expect(pricePerHour({ machineType: 'n1-highmem-8', spot: false, diskGb: 0 })).toBeCloseTo(8 * 0.031611 + 52 * 0.004237, 3);
    expect(pricePerHour({ machineType: 'n1-highcpu-16', spot: true, diskGb: 0 })).toBeCloseTo(16 * 0.00698 + 14.4 * 0.000936, 3);
    const { catalog } = pricesFromSkus(computeSkus(), 'europe-west4', SHIPPED_CATALOG, '2026-12-02');
    expect(pricePerHour({ machineType: 'n1-highmem-8', spot: false, diskGb: 0 }, catalog)).toBeCloseTo((8 * 0.031611 + 52 * 0.004237) * 1.1, 3);
    // Unknown families and GPU-carrying types stay unpriced (NaN, never a guess).
    expect(pricePerHour({ machineType: 'n2-standard-8', spot: false, diskGb: 0 })).toBeNaN();
    expect(pricePerHour({ machineType: 'a2-highgpu-16g', spot: false, diskGb: 0 }, catalog)).toBeNaN();
  });

  it('a VM whose machine type has no price says so instead of costing $0.00', () => {
    const owner = { id: 'bt-test-owner', name: 'ana' };
    const context = { owner, now: Date.parse('2026-12-02T12:00:00Z'), hasHost: () => true, creating: new Set<string>() };
    const instance = (machineType: string) => ({
      name: 'benchtop-ana-1', zone: 'https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a', status: 'RUNNING',
      machineType: `https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a/machineTypes/${machineType}`,
      lastStartTimestamp: '2026-12-02T10:00:00Z', labels: { benchtop: 'vm', 'benchtop-owner': 'bt-test-owner', 'benchtop-gpu': 'nvidia-tesla-a100', 'benchtop-gpu-count': '16' },
    });
    expect(vmInfo(instance('a2-megagpu-16g'), context)).toMatchObject({ priceUnknown: true, pricePerHour: 0, runningCost: 0 });
    const priced = vmInfo(instance('a2-highgpu-1g'), context);
    expect(priced.priceUnknown).toBeUndefined();
    expect(priced.runningCost).toBeCloseTo(2 * 3.67, 2);
  });
});
