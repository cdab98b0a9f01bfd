import type { protos } from '@google-cloud/compute';
import type { CloudVm, CloudVmStatus } from '../../../shared/contract/cloud';
import type { Owner } from '../identity/owner';
import { GPU_MODELS } from './gpu-models';
import { CLOUD_LABEL, isMine } from './labels';
import { pricePerHour, round, SHIPPED_CATALOG, type PriceCatalog } from './prices';

type Instance = protos.google.cloud.compute.v1.IInstance;

const lastSegment = (url: string | null | undefined): string => String(url ?? '').split('/').pop() ?? '';

const STATUSES: CloudVmStatus[] = ['PROVISIONING', 'STAGING', 'RUNNING', 'STOPPING', 'STOPPED', 'SUSPENDING', 'SUSPENDED', 'REPAIRING', 'TERMINATED'];

export interface VmContext {
  owner: Owner;
  now: number;
  /** Whether this install has the VM as a host (its creation finished here). */
  hasHost: (name: string) => boolean;
  /** Names this process is creating right now (not "interrupted"). */
  creating: ReadonlySet<string>;
  /** The prices in force for a region (default: the shipped catalog). */
  catalogFor?: (region: string) => PriceCatalog;
}

/** What the list shows for one instance, read from its labels and fields alone. */
export function vmInfo(instance: Instance, c: VmContext): CloudVm {
  const labels = (instance.labels ?? {}) as Record<string, string>;
  const name = String(instance.name ?? '');
  const machineType = lastSegment(instance.machineType);
  const attached = instance.guestAccelerators?.[0];
  const gpuType = attached ? lastSegment(attached.acceleratorType) : labels[CLOUD_LABEL.gpuType];
  const gpuCount = attached ? Number(attached.acceleratorCount ?? 0) : Number(labels[CLOUD_LABEL.gpuCount] ?? 0);
  const spot = instance.scheduling?.provisioningModel === 'SPOT';
  const diskGb = Number(instance.disks?.find((d) => d.boot)?.diskSizeGb ?? 0);
  const status = (STATUSES as string[]).includes(String(instance.status)) ? (instance.status as CloudVmStatus) : 'UNKNOWN';
  const running = status === 'RUNNING';
  const mine = isMine(labels, c.owner);
  const catalog = c.catalogFor?.(lastSegment(instance.zone).replace(/-[a-z]$/, '')) ?? SHIPPED_CATALOG;
  const hourly = pricePerHour({
    machineType, spot, diskGb,
    attachedGpu: attached && gpuType && GPU_MODELS.find((m) => m.gpuType === gpuType)?.attach === 'attached' ? { gpuType, count: gpuCount } : undefined,
  }, catalog);
  const since = running && instance.lastStartTimestamp ? instance.lastStartTimestamp : undefined;
  const hours = since ? Math.max(0, c.now - Date.parse(since)) / 3_600_000 : 0;
  const address = running ? instance.networkInterfaces?.[0]?.accessConfigs?.[0]?.natIP ?? undefined : undefined;
  return {
    name,
    zone: lastSegment(instance.zone),
    status,
    machineType,
    ...(gpuType ? { gpuType } : {}),
    gpuCount,
    spot,
    diskGb,
    ...(c.hasHost(name) ? { hostId: name } : {}),
    ...(address ? { address } : {}),
    owner: { id: labels[CLOUD_LABEL.owner] ?? '', name: labels[CLOUD_LABEL.ownerName] ?? 'unknown' },
    mine,
    // Mine, not being created by this process, and never handed over as a host: its creation was cut short.
    interrupted: mine && !c.creating.has(name) && !c.hasHost(name),
    createdAt: String(instance.creationTimestamp ?? ''),
    ...(since ? { runningSince: since } : {}),
    pricePerHour: Number.isNaN(hourly) ? 0 : hourly,
    ...(Number.isNaN(hourly) ? { priceUnknown: true as const } : {}),
    priceDate: catalog.date,
    priceOrigin: catalog.origin ?? 'shipped',
    runningCost: Number.isNaN(hourly) ? 0 : round(hourly * hours),
  };
}
