import type { Theme } from '../../../shared/contract/app';
import type { RecentProject } from '../../../shared/contract/project';

/** A shared GPU host or any SSH-reached engine, as the user added it. */
export interface HostConfig {
  id: string;
  spec: string;
  user: string;
  hostname: string;
  port: number;
  identityFile?: string;
  /** The engine socket on the host when it is not /var/run/docker.sock (SSH hosts). */
  dockerSocket?: string;
  /** Folder with ca.pem, cert.pem, key.pem for a `tcp://host:2376` engine. */
  certPath?: string;
  /** A tcp:// engine without TLS the user accepted with --insecure (shown with a warning). */
  insecure?: boolean;
  /** `slurm`: a Slurm cluster's login node (added as slurm://user@login); sessions there are jobs. */
  kind?: 'slurm';
  /** A cluster's partition, account, QOS, shared folder and container runtime (kind `slurm`). */
  slurm?: { partition?: string; account?: string; qos?: string; sharedDir?: string; runtime?: string; gpuDevicePattern?: string; restUrl?: string };
  addedAt: string;
}

/** Google Compute Engine: where Benchtop creates GPU VMs and how (project and zones may come from the team file). */
export interface CloudSettings {
  /** The Google Cloud project id; empty: the team file's. */
  project: string;
  /** Preferred zones, tried first (in order); empty: the team file's, else any zone offering the GPU. */
  zones: string[];
  /** The boot image (an image or image family URL) with the NVIDIA driver and Docker. */
  bootImage: string;
  defaultDiskGb: number;
  /** GCE stops a VM that ran this long, whatever else happens (scheduling.maxRunDuration); 0 = no limit. */
  maxRunHours: number;
  /** Warn when this install's VMs are estimated to cost more than this in a month (USD); 0 = no warning. */
  monthlyLimit: number;
  /** The account Benchtop's key logs in as on its VMs. */
  sshUser: string;
  /** The engine socket on the VM when it is not /var/run/docker.sock. */
  dockerSocket: string;
}

/** A registry login; the password is sealed by the SecretBox, never plain text. */
export interface RegistryCredential {
  registry: string;
  username: string;
  sealedPassword: string;
  /** The last sign-in check (see registry/login-check.ts); absent on logins saved before checks existed. */
  check?: RegistryLoginCheck;
}

/** signed-in: the registry accepted it; no-login-asked: the registry let an anonymous request in; not-checked: saved without reaching it. */
export interface RegistryLoginCheck {
  state: 'signed-in' | 'no-login-asked' | 'not-checked';
  at: string;
}

export interface Settings {
  theme: Theme;
  /** `local` or a host id. */
  defaultTarget: string;
  /** Used when a project sets no `customizations.benchtop.idleMinutes`. */
  idleMinutes: number;
  hosts: HostConfig[];
  recentProjects: RecentProject[];
  registryCredentials: RegistryCredential[];
  /** Host ports Benchtop publishes Jupyter on (127.0.0.1 only), inclusive. */
  sessionPorts: { first: number; last: number };
  /** This install's stable owner id (random, made on first use); see core/identity/owner.ts. */
  installId: string;
  /** The name teammates see on this install's sessions and leases; empty = the OS account name. */
  userName: string;
  /** The team file for every project (an https URL or a path); a project's .benchtop/team.json wins. Empty: none. */
  team: string;
  /** Where the app looks for updates (the generic feed's folder, https); empty: the team file's updateUrl, else none. */
  updateUrl: string;
  cloud: CloudSettings;
}

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  defaultTarget: 'local',
  idleMinutes: 60,
  hosts: [],
  recentProjects: [],
  registryCredentials: [],
  sessionPorts: { first: 8870, last: 8969 },
  installId: '',
  userName: '',
  team: '',
  updateUrl: '',
  cloud: {
    project: '',
    zones: [],
    bootImage: 'projects/deeplearning-platform-release/global/images/family/common-cu124-debian-11-py310',
    defaultDiskGb: 100,
    maxRunHours: 24,
    monthlyLimit: 0,
    sshUser: 'benchtop',
    dockerSocket: '',
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Per-key shape checks: a value that fails keeps the default and is reported, the rest is kept. */
export const SETTINGS_VALIDATORS: { [K in keyof Settings]: (value: unknown) => boolean } = {
  theme: (v) => v === 'system' || v === 'dark' || v === 'light',
  defaultTarget: (v) => typeof v === 'string' && v.length > 0,
  idleMinutes: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 7 * 24 * 60,
  hosts: (v) => Array.isArray(v) && v.every((h) => isObject(h) && typeof h.id === 'string' && typeof h.hostname === 'string'),
  recentProjects: (v) => Array.isArray(v) && v.every((p) => isObject(p) && typeof p.dir === 'string'),
  registryCredentials: (v) =>
    Array.isArray(v) && v.every((c) => isObject(c) && typeof c.registry === 'string' && typeof c.sealedPassword === 'string'),
  sessionPorts: (v) =>
    isObject(v) &&
    Number.isInteger(v.first) &&
    Number.isInteger(v.last) &&
    (v.first as number) >= 1024 &&
    (v.last as number) <= 65535 &&
    (v.first as number) <= (v.last as number),
  installId: (v) => typeof v === 'string' && (v === '' || /^[A-Za-z0-9-]{8,64}$/.test(v)),
  // Shown to teammates on their screens: no control characters.
  userName: (v) => typeof v === 'string' && v.length <= 64 && [...v].every((c) => c.charCodeAt(0) >= 0x20),
  team: (v) => typeof v === 'string' && v.length <= 2048,
  updateUrl: (v) => typeof v === 'string' && v.length <= 2048,
  cloud: (v) => isObject(v) && typeof v.project === 'string' && Array.isArray(v.zones) && v.zones.every((z) => typeof z === 'string') &&
    typeof v.bootImage === 'string' && Number.isInteger(v.defaultDiskGb) && typeof v.maxRunHours === 'number' && v.maxRunHours >= 0 &&
    typeof v.monthlyLimit === 'number' && v.monthlyLimit >= 0 && typeof v.sshUser === 'string' && /^[a-z_][a-z0-9_-]{0,31}$/.test(v.sshUser) &&
    typeof v.dockerSocket === 'string',
};
