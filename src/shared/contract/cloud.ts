/**
 * Cloud GPU VMs on Google Compute Engine. A VM Benchtop created carries its labels, so the list is
 * read from the project every time (nothing is kept in the app); once RUNNING it is an SSH host
 * (`hostId`) like any other, and sessions, sync, move, leases and the board work on it unchanged.
 * Progress of create/start/stop/resize/delete comes as `operationStep` events keyed by `opId`.
 */

/** One GPU model Benchtop knows how to ask GCE for, with the shapes it comes in. */
export interface CloudGpuOffer {
  /** GCE's accelerator type name, e.g. `nvidia-tesla-t4`, `nvidia-l4`, `nvidia-tesla-a100`. */
  gpuType: string;
  /** What the user reads: "NVIDIA T4 (16 GB)". */
  label: string;
  /** One entry per GPU count this model comes in (N1 + guestAccelerators, or the G2/A2/A3 type that carries them). */
  shapes: CloudShape[];
  /** Zones of the project that list this GPU (aggregated accelerator list), in the preferred order. */
  zones: string[];
}

export interface CloudShape {
  gpuCount: number;
  machineType: string;
  /** Price per hour in USD for VM + GPUs (the disk is added separately), from the shipped catalog. */
  pricePerHour: number;
  spotPricePerHour: number;
}

/** What "New cloud GPU VM" shows before anything is created. */
export interface CloudOptions {
  project: string;
  /** The preferred zones (settings, else the team file); empty = any zone offering the GPU. */
  zones: string[];
  offers: CloudGpuOffer[];
  /** The price catalog shipped with the app (or refreshed), and its date (YYYY-MM-DD). */
  catalogDate: string;
  /** Where the prices came from: shipped with the app, or the Cloud Billing Catalog API (cached a week). */
  catalogOrigin: 'shipped' | 'billing-api';
  /** The region the prices are of (the first preferred zone's; us-central1 without one). */
  catalogRegion: string;
  /** Why the prices could not be refreshed just now (logged too); absent when they are fresh. */
  catalogNote?: string;
  /** Per GB-month of the boot disk (pd-balanced), USD. */
  diskPricePerGbMonth: number;
  /** The monthly limit from settings (0 = none) and what this install's VMs are estimated to have cost this month. */
  monthlyLimit: number;
  spentThisMonth: number;
  defaultDiskGb: number;
}

export type CloudVmStatus =
  | 'PROVISIONING'
  | 'STAGING'
  | 'RUNNING'
  | 'STOPPING'
  | 'STOPPED'
  | 'SUSPENDING'
  | 'SUSPENDED'
  | 'REPAIRING'
  | 'TERMINATED'
  | 'UNKNOWN';

export interface CloudVm {
  name: string;
  zone: string;
  /** GCE's status: TERMINATED is "stopped" (no charge for the VM, the disk is kept). */
  status: CloudVmStatus;
  machineType: string;
  gpuType?: string;
  gpuCount: number;
  spot: boolean;
  diskGb: number;
  /** The Benchtop host this VM is (id in `hostList`), once it has run. */
  hostId?: string;
  /** Its external address while it runs. */
  address?: string;
  owner: { id: string; name: string };
  mine: boolean;
  /** Its creation never finished (the app quit or the create failed half-way): offered for deletion. */
  interrupted: boolean;
  createdAt: string;
  /** When it last started (ISO); absent while it does not run. */
  runningSince?: string;
  pricePerHour: number;
  /** The day of the prices (YYYY-MM-DD) and where they came from (shipped with the app, or the Cloud Billing Catalog API). */
  priceDate: string;
  priceOrigin: 'shipped' | 'billing-api';
  /** The price catalog has no price for its machine type (pricePerHour and runningCost are then 0 and mean nothing). */
  priceUnknown?: true;
  /** Estimated cost of the current run (since `runningSince`), USD. */
  runningCost: number;
}

export interface CloudCreateRequest {
  opId: string;
  gpuType: string;
  gpuCount: number;
  /** Zones to try, in order; default: the preferred zones offering the GPU, then the others. */
  zones?: string[];
  spot?: boolean;
  diskGb?: number;
  /** Another machine type of the same family (more CPUs or memory) than the shape's default. */
  machineType?: string;
  /** A name of your own (lower-case letters, digits, -); default: benchtop-<user>-<random>. */
  name?: string;
  /** The VM powers itself off after this long without a running session (default: the idle-minutes setting; 0 = never). */
  idleMinutes?: number;
}

/** Settings → Cloud: this install's own values; the team file's project and zones stand in for empty ones. */
export interface CloudSettingsView {
  project: string;
  zones: string[];
  monthlyLimit: number;
  maxRunHours: number;
  defaultDiskGb: number;
  bootImage: string;
  sshUser: string;
  dockerSocket: string;
  /** From the team file, used while the values above are empty. */
  team?: { project?: string; zones: string[] };
}

export interface CloudInvoke {
  cloudSettingsGet: (req: { projectDir?: string }) => CloudSettingsView;
  /** Changes the given keys (each checked); answers the new view. */
  cloudSettingsSet: (req: Partial<Omit<CloudSettingsView, 'team'>>) => CloudSettingsView;
  /** GPU models, their zones and prices, before creating. */
  cloudOptions: (req: { projectDir?: string; refreshPrices?: boolean }) => CloudOptions;
  /**
   * Every Benchtop VM of the project (found by its labels), whoever created it. With `hostIds` (session
   * targets): only the VMs behind those hosts, for their running cost; [] at once, without asking
   * GCE, when none of them is a cloud VM of this install.
   */
  cloudVmList: (req: { projectDir?: string; hostIds?: string[] }) => CloudVm[];
  /** Creates a GPU VM (trying zone after zone on a stockout), waits for SSH and Docker, adds it as a host. */
  cloudVmCreate: (req: CloudCreateRequest) => CloudVm;
  cloudVmStart: (req: { opId: string; name: string }) => CloudVm;
  cloudVmStop: (req: { opId: string; name: string }) => CloudVm;
  /** A machine-type change needs a stopped VM: with `stopFirst` a running one is stopped, changed and started again. */
  cloudVmResize: (req: { opId: string; name: string; machineType: string; stopFirst?: boolean }) => CloudVm;
  /** Deletes the VM with its disk, and its host entry. */
  cloudVmDelete: (req: { opId: string; name: string }) => { deleted: true };
}
