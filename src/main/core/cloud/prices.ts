import { shapeOf } from './machine-shapes';
import catalog from './price-catalog.json' with { type: 'json' };

/**
 * Prices from the catalog shipped with the app (its date is shown with every price). G2/A2/A3
 * prices include their GPUs; N1 prices do not, so attached GPUs are added per card.
 */
export interface PriceCatalog {
  /** The day the prices are of (YYYY-MM-DD): the shipped catalog's, or the day they were fetched. */
  date: string;
  region: string;
  /** Where the prices came from: shipped with the app, or the Cloud Billing Catalog API (absent: shipped). */
  origin?: 'shipped' | 'billing-api';
  diskPerGbMonth: Record<string, number>;
  machineTypes: Record<string, { onDemand: number; spot: number }>;
  gpus: Record<string, { onDemand: number; spot: number }>;
  /**
   * Per vCPU hour and per GiB hour of a family (`n1`), for machine types the catalog does not list
   * (a resize to n1-highmem-8): they are priced by their vCPUs and memory.
   */
  parts?: Record<string, Record<'onDemand' | 'spot', { core: number; ram: number }>>;
}

export const SHIPPED_CATALOG: PriceCatalog = { ...catalog, origin: 'shipped' };

const HOURS_PER_MONTH = 730;

export interface PriceQuery {
  machineType: string;
  /** GPUs attached with guestAccelerators (N1); built-in GPUs are in the machine type's price. */
  attachedGpu?: { gpuType: string; count: number };
  spot: boolean;
  diskGb: number;
}

/** USD per hour for the VM, its attached GPUs and its boot disk; NaN when the catalog lacks the machine type. */
export function pricePerHour(q: PriceQuery, c: PriceCatalog = SHIPPED_CATALOG): number {
  const kind = q.spot ? 'spot' : 'onDemand';
  const machine = c.machineTypes[q.machineType] ?? byParts(q.machineType, c);
  if (!machine) return Number.NaN;
  const gpu = q.attachedGpu ? (c.gpus[q.attachedGpu.gpuType]?.[kind] ?? Number.NaN) * q.attachedGpu.count : 0;
  const disk = ((c.diskPerGbMonth['pd-balanced'] ?? 0) * q.diskGb) / HOURS_PER_MONTH;
  return round(machine[kind] + gpu + disk);
}

export const round = (usd: number): number => Math.round(usd * 1000) / 1000;

/** A machine type without GPUs of its own, priced from its family's per-vCPU and per-GiB prices. */
function byParts(machineType: string, c: PriceCatalog): { onDemand: number; spot: number } | undefined {
  const shape = shapeOf(machineType);
  const parts = c.parts?.[machineType.split('-')[0]];
  if (!shape || shape.gpus || !parts) return undefined;
  const at = (p: { core: number; ram: number }) => shape.vcpus * p.core + shape.memoryGib * p.ram;
  return { onDemand: at(parts.onDemand), spot: at(parts.spot) };
}
