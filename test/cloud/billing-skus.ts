import type { BillingSku } from '../../src/main/core/cloud/sku-prices';

/**
 * Compute Engine SKUs as the Cloud Billing Catalog API lists them (services/6F81-5844-456A/skus):
 * the on-demand and spot parts Benchtop prices its VMs from, in europe-west4 and us-central1 at
 * different prices, plus SKUs it must skip (commitments, virtual-workstation GPUs, licences, another
 * region only). Prices are list prices of the kind the API gives (units + nanos, USD).
 */
const usd = (value: number) => ({ currencyCode: 'USD', units: String(Math.trunc(value)), nanos: Math.round((value - Math.trunc(value)) * 1e9) });

let id = 0;
function sku(description: string, resourceGroup: string, usageType: string, regions: string[], price: number, usageUnit = 'h'): BillingSku & { name: string } {
  id += 1;
  const skuId = `BT${String(id).padStart(2, '0')}-0000-${String(1000 + id)}`;
  return {
    name: `services/6F81-5844-456A/skus/${skuId}`, skuId, description,
    category: { resourceFamily: resourceGroup === 'SSD' ? 'Storage' : resourceGroup === 'Licensing' ? 'License' : 'Compute', resourceGroup, usageType },
    serviceRegions: regions,
    pricingInfo: [{
      effectiveTime: '2026-11-20T08:00:00.000Z',
      pricingExpression: { usageUnit, tieredRates: [{ startUsageAmount: 0, unitPrice: usd(price) }] },
    }],
  } as BillingSku & { name: string };
}

/** europe-west4 (Netherlands) is dearer than us-central1 (Iowa), as on GCE. */
const REGIONS = [
  { region: 'europe-west4', place: 'Netherlands', f: 1.1 },
  { region: 'us-central1', place: 'Americas', f: 1 },
];

export function computeSkus(): BillingSku[] {
  id = 0;
  const out: BillingSku[] = [];
  for (const { region, place, f } of REGIONS) {
    const r = [region];
    const both = (text: string, group: string, onDemand: number, spot: number, unit = 'h') => {
      out.push(sku(`${text} running in ${place}`, group, 'OnDemand', r, onDemand * f, unit));
      out.push(sku(`Spot Preemptible ${text} running in ${place}`, group, 'Preemptible', r, spot * f, unit));
    };
    both('N1 Predefined Instance Core', 'N1Standard', 0.031611, 0.00698);
    both('N1 Predefined Instance Ram', 'N1Standard', 0.004237, 0.000936, 'GiBy.h');
    both('G2 Instance Core', 'CPU', 0.024988, 0.009995);
    both('G2 Instance Ram', 'RAM', 0.002927, 0.001171, 'GiBy.h');
    both('A2 Instance Core', 'CPU', 0.031611, 0.009483);
    both('A2 Instance Ram', 'RAM', 0.004237, 0.001271, 'GiBy.h');
    both('A3 Instance Core', 'CPU', 0.029563, 0.008869);
    both('A3 Instance Ram', 'RAM', 0.002964, 0.000889, 'GiBy.h');
    both('Nvidia Tesla T4 GPU', 'GPU', 0.35, 0.14);
    both('Nvidia L4 GPU', 'GPU', 0.560278, 0.224111);
    both('Nvidia Tesla V100 GPU', 'GPU', 2.48, 0.992);
    both('Nvidia Tesla A100 GPU', 'GPU', 2.933908, 0.880172);
    both('Nvidia Tesla A100 80GB GPU', 'GPU', 3.92808, 1.178424);
    both('Nvidia H100 80GB GPU', 'GPU', 9.79655, 2.938965);
    out.push(sku(`Balanced PD Capacity in ${place}`, 'SSD', 'OnDemand', r, 0.1 * f, 'GiBy.mo'));
    // Skipped: committed use, virtual workstations, licences.
    out.push(sku(`Commitment v1: Nvidia Tesla T4 GPU running in ${place} for 1 Year`, 'GPU', 'Commit1Yr', r, 0.22));
    out.push(sku(`Nvidia Tesla T4 Virtual Workstation GPU running in ${place}`, 'GPU', 'OnDemand', r, 0.55));
    out.push(sku('Licensing Fee for Windows Server 2022 Datacenter Edition (CPU cost)', 'Licensing', 'OnDemand', ['global'], 0.046));
  }
  // A region Benchtop is not asked about, at a price that would show if the region were ignored.
  out.push(sku('Nvidia Tesla T4 GPU running in Sao Paulo', 'GPU', 'OnDemand', ['southamerica-east1'], 9.99));
  return out;
}
