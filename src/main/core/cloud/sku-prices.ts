import { MACHINE_SHAPES } from './machine-shapes';
import { round, type PriceCatalog } from './prices';

/** One SKU of the Cloud Billing Catalog API (services/{id}/skus), the fields Benchtop reads. */
export interface BillingSku {
  skuId?: string;
  description?: string;
  category?: { resourceFamily?: string; resourceGroup?: string; usageType?: string };
  serviceRegions?: string[];
  pricingInfo?: {
    effectiveTime?: string;
    pricingExpression?: {
      usageUnit?: string;
      tieredRates?: { startUsageAmount?: number; unitPrice?: { currencyCode?: string; units?: string | number; nanos?: number } }[];
    };
  }[];
}

/** The SKU descriptions' GPU names ("Nvidia Tesla T4 GPU running in Americas") as GCE accelerator types. */
const GPU_NAMES: Record<string, string> = {
  'Tesla T4': 'nvidia-tesla-t4',
  'Tesla V100': 'nvidia-tesla-v100',
  'Tesla A100': 'nvidia-tesla-a100',
  'Tesla A100 80GB': 'nvidia-a100-80gb',
  'A100 80GB': 'nvidia-a100-80gb',
  L4: 'nvidia-l4',
  'H100 80GB': 'nvidia-h100-80gb',
  H100: 'nvidia-h100-80gb',
};

/** The SKU descriptions' machine families ("N1 Predefined Instance Core", "A2 Instance Ram"). */
const FAMILIES: Record<string, string> = { 'N1 Predefined': 'n1', G2: 'g2', A2: 'a2', A3: 'a3' };

type Kind = 'onDemand' | 'spot';
interface Parts {
  core: Map<string, number>;
  ram: Map<string, number>;
  gpu: Map<string, number>;
  disk?: number;
}

/** USD of the price in force: the last pricingInfo, its last (steady-use) tier; undefined unless it is per `unit` in USD. */
function unitPrice(sku: BillingSku, unit: string): number | undefined {
  const info = sku.pricingInfo?.[sku.pricingInfo.length - 1]?.pricingExpression;
  if (info?.usageUnit !== unit) return undefined;
  const tier = info.tieredRates?.[info.tieredRates.length - 1]?.unitPrice;
  if (!tier || (tier.currencyCode && tier.currencyCode !== 'USD')) return undefined;
  const value = Number(tier.units ?? 0) + (tier.nanos ?? 0) / 1e9;
  return Number.isFinite(value) ? value : undefined;
}

const kindOf = (sku: BillingSku): Kind | undefined =>
  sku.category?.usageType === 'OnDemand' ? 'onDemand' : sku.category?.usageType === 'Preemptible' ? 'spot' : undefined;

/** Sorts the region's on-demand and spot SKUs into per-vCPU, per-GiB and per-GPU prices. */
function partsOf(skus: readonly BillingSku[], region: string): Record<Kind, Parts> {
  const parts: Record<Kind, Parts> = { onDemand: { core: new Map(), ram: new Map(), gpu: new Map() }, spot: { core: new Map(), ram: new Map(), gpu: new Map() } };
  for (const sku of skus) {
    const kind = kindOf(sku);
    if (!kind || !sku.serviceRegions?.includes(region)) continue;
    const text = (sku.description ?? '').replace(/^(Spot )?Preemptible /, '');
    const p = parts[kind];
    const gpu = /^Nvidia (.+?) GPU running in /.exec(text);
    if (gpu && sku.category?.resourceGroup === 'GPU') {
      const gpuType = GPU_NAMES[gpu[1]];
      const price = unitPrice(sku, 'h');
      if (gpuType && price !== undefined && !p.gpu.has(gpuType)) p.gpu.set(gpuType, price);
      continue;
    }
    const machine = /^(N1 Predefined|G2|A2|A3) Instance (Core|Ram) running in /.exec(text);
    if (machine) {
      const family = FAMILIES[machine[1]];
      const core = machine[2] === 'Core';
      const price = unitPrice(sku, core ? 'h' : 'GiBy.h');
      const into = core ? p.core : p.ram;
      if (price !== undefined && !into.has(family)) into.set(family, price);
      continue;
    }
    if (kind === 'onDemand' && /^Balanced PD Capacity/.test(text)) p.disk ??= unitPrice(sku, 'GiBy.mo');
  }
  return parts;
}

export interface SkuPricing {
  catalog: PriceCatalog;
  /** Catalog entries the SKUs did not price (they keep the shipped price). */
  missing: string[];
}

/**
 * A price catalog for `region` from Compute Engine's SKUs: an N1 type is vCPUs × core + GiB × RAM
 * (its GPUs are priced per card); G2/A2/A3 types add their built-in GPUs. What the SKUs lack keeps
 * the `base` price and is named in `missing`; none priced at all is an empty result for the caller to refuse.
 */
export function pricesFromSkus(skus: readonly BillingSku[], region: string, base: PriceCatalog, date: string): SkuPricing {
  const parts = partsOf(skus, region);
  const missing: string[] = [];
  const machineTypes: PriceCatalog['machineTypes'] = {};
  for (const [type, shipped] of Object.entries(base.machineTypes)) {
    const shape = MACHINE_SHAPES[type];
    const family = type.split('-')[0];
    const price = (kind: Kind): number | undefined => {
      const p = parts[kind];
      const core = p.core.get(family);
      const ram = p.ram.get(family);
      const gpu = shape?.gpus ? p.gpu.get(shape.gpus.gpuType) : 0;
      if (!shape || core === undefined || ram === undefined || gpu === undefined) return undefined;
      return round(shape.vcpus * core + shape.memoryGib * ram + (shape.gpus ? shape.gpus.count * gpu : 0));
    };
    const onDemand = price('onDemand');
    const spot = price('spot');
    if (onDemand === undefined || spot === undefined) missing.push(type);
    machineTypes[type] = { onDemand: onDemand ?? shipped.onDemand, spot: spot ?? shipped.spot };
  }
  const gpus: PriceCatalog['gpus'] = {};
  for (const [gpuType, shipped] of Object.entries(base.gpus)) {
    const onDemand = parts.onDemand.gpu.get(gpuType);
    const spot = parts.spot.gpu.get(gpuType);
    if (onDemand === undefined || spot === undefined) missing.push(gpuType);
    gpus[gpuType] = { onDemand: round(onDemand ?? shipped.onDemand), spot: round(spot ?? shipped.spot) };
  }
  const disk = parts.onDemand.disk;
  if (disk === undefined) missing.push('pd-balanced');
  // Per-vCPU and per-GiB prices of each family, for machine types the catalog does not list.
  const families: NonNullable<PriceCatalog['parts']> = { ...base.parts };
  for (const family of Object.values(FAMILIES)) {
    const [oc, or, sc, sr] = [parts.onDemand.core.get(family), parts.onDemand.ram.get(family), parts.spot.core.get(family), parts.spot.ram.get(family)];
    if (oc !== undefined && or !== undefined && sc !== undefined && sr !== undefined) families[family] = { onDemand: { core: oc, ram: or }, spot: { core: sc, ram: sr } };
  }
  return {
    catalog: { date, region, origin: 'billing-api', diskPerGbMonth: { 'pd-balanced': disk ?? base.diskPerGbMonth['pd-balanced'] ?? 0 }, machineTypes, gpus, parts: families },
    missing,
  };
}
