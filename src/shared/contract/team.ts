/** A team cluster's own job settings; `sharedDir` may say `{user}` (the analyst's login name). */
export interface TeamClusterSettings {
  partition?: string;
  account?: string;
  qos?: string;
  /** Absolute, or relative to the user's home on the cluster; e.g. `/shared/{user}/benchtop`. */
  sharedDir?: string;
  runtime?: 'podman' | 'docker';
  /** The device file of GPU `{index}` on node `{node}`. */
  gpuDevicePattern?: string;
}

/** One shared host as the team file lists it. */
export interface TeamHost {
  id: string;
  /** `slurm`: a Slurm cluster's login node (sessions there are jobs); absent: an SSH host. */
  kind?: 'slurm';
  /** `[user@]hostname[:port]`; a cluster's usually has no user (each analyst logs in as themself). */
  address: string;
  /** The host's SSH key fingerprints (`SHA256:…`): keys with one of these are trusted without asking. */
  fingerprints: string[];
  dockerSocket?: string;
  /** A cluster's job settings (the top-level `slurm` defaults fill what it leaves out). */
  slurm?: TeamClusterSettings;
}

/** The committed team settings (`.benchtop/team.json`, or a URL), validated. */
export interface TeamFile {
  /** The path or URL it was read from. */
  source: string;
  name?: string;
  registry?: string;
  hosts: TeamHost[];
  cloud?: { project?: string; zones: string[] };
  defaultTarget?: string;
  idleMinutes?: number;
  /** The app's update feed for the team (electron-updater's generic provider folder). */
  updateUrl?: string;
  /** Defaults for jobs on the team's Slurm clusters; a cluster's own settings and the project's beat them. */
  slurm?: { partition?: string; account?: string; qos?: string };
  gpuPolicy?: { maxGpusPerUser?: number; defaultLeaseHours?: number; maxLeaseHours?: number; idleMinutes?: number; utilizationThreshold?: number };
}

/** Where a setting's value came from: layered team → user → project, the later winning. */
export type SettingSource = 'default' | 'team' | 'user' | 'project';

export interface SettingOrigin {
  key: string;
  /** As shown to the user. */
  value: string;
  source: SettingSource;
  /** The file (or URL) that set it, when it came from one. */
  from?: string;
}

export interface TeamSettingsView {
  team?: TeamFile;
  values: SettingOrigin[];
}

/** What joining a team did for one of its hosts. */
export interface TeamHostJoinResult {
  id: string;
  /** added/trusted: ready; key-not-listed: the host shows a key the team file does not list (not trusted); failed: see message. */
  status: 'added' | 'trusted' | 'key-not-listed' | 'failed';
  message?: string;
}

export interface TeamInvoke {
  /** The effective settings and where each came from; with `dir`, the project's team file and keys too. */
  teamSettings: (req: { dir?: string }) => TeamSettingsView;
  /** Adds the team file's hosts (the project's, else the team setting's), trusting exactly the fingerprints it lists. */
  teamJoinHosts: (req: { dir?: string }) => { hosts: TeamHostJoinResult[] };
}
