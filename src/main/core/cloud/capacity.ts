import { BenchtopError } from '../errors';
import type { ComputeClients } from './client';
import { cloudError } from './gce-errors';
import { quotaMetricFor } from './gpu-models';

export const regionOf = (zone: string): string => zone.replace(/-[a-z]$/, '');

/** Zones listing each GPU type, from the project's aggregated accelerator list (one call). */
export interface GpuZones {
  zones: string[];
  /** The most cards of the type one VM may have, per zone (0: not stated). */
  maxPerVm: Map<string, number>;
}

export async function zonesOffering(clients: ComputeClients, project: string): Promise<Map<string, GpuZones>> {
  const found = new Map<string, GpuZones>();
  try {
    for await (const [key, scoped] of clients.acceleratorTypes.aggregatedListAsync({ project }, { autoPaginate: false })) {
      const zone = key.replace(/^zones\//, '');
      for (const type of scoped.acceleratorTypes ?? []) {
        const name = String(type.name ?? '');
        if (!name) continue;
        const entry: GpuZones = found.get(name) ?? { zones: [], maxPerVm: new Map<string, number>() };
        entry.zones.push(zone);
        entry.maxPerVm.set(zone, Number(type.maximumCardsPerInstance ?? 0));
        found.set(name, entry);
      }
    }
  } catch (error) {
    throw cloudError(`Listing the GPU types of project ${project}`, error);
  }
  for (const entry of found.values()) entry.zones.sort();
  return found;
}

/**
 * The zones to try, in order: the preferred ones that list the GPU (all of them when none are
 * preferred), each able to hold `count` cards on one VM.
 */
export function zonesToTry(offered: GpuZones | undefined, preferred: string[], count: number): string[] {
  if (!offered) return [];
  const fits = (z: string) => (offered.maxPerVm.get(z) ?? 0) === 0 || (offered.maxPerVm.get(z) ?? 0) >= count;
  const base = preferred.length ? preferred.filter((z) => offered.zones.includes(z)) : offered.zones;
  return base.filter(fits);
}

export interface QuotaVerdict {
  /** Zones whose region has room for the GPUs. */
  zones: string[];
  /** Regions left out, with why ("europe-west4: NVIDIA_T4_GPUS 1 of 1 in use"). */
  skipped: string[];
}

/** Checks each region's GPU quota (regions.get) before creating; a region without room is not tried. */
export async function checkRegionQuotas(clients: ComputeClients, project: string, zones: string[], gpuType: string, count: number, spot: boolean): Promise<QuotaVerdict> {
  const metric = quotaMetricFor(gpuType, spot);
  const regions = [...new Set(zones.map(regionOf))];
  const room = new Map<string, string | undefined>();
  await Promise.all(regions.map(async (region) => {
    let quotas;
    try {
      [{ quotas }] = await clients.regions.get({ project, region });
    } catch (error) {
      throw cloudError(`Reading the quotas of ${region}`, error);
    }
    const quota = quotas?.find((q) => q.metric === metric);
    // A metric the region does not list is not limited there (or unknown to us): GCE decides at insert.
    if (!quota) return room.set(region, undefined);
    const free = Number(quota.limit ?? 0) - Number(quota.usage ?? 0);
    room.set(region, free >= count ? undefined : `${region}: ${metric} ${Number(quota.usage ?? 0)} of ${Number(quota.limit ?? 0)} in use`);
  }));
  const skipped = regions.map((r) => room.get(r)).filter((why): why is string => !!why);
  const verdict = { zones: zones.filter((z) => !room.get(regionOf(z))), skipped };
  if (zones.length && !verdict.zones.length) {
    throw new BenchtopError('CLOUD_QUOTA_EXCEEDED', `No region has ${count} ${gpuType} GPU${count > 1 ? 's' : ''} of quota left (${skipped.join('; ')}).`,
      `Ask for more ${metric ?? 'GPU'} quota in the Cloud console (IAM & Admin → Quotas), or choose other zones or fewer GPUs.`);
  }
  return verdict;
}
