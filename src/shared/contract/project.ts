export interface HostRequirements {
  cpus?: number;
  /** As written, e.g. `16gb`. */
  memory?: string;
  memoryBytes?: number;
  storage?: string;
  storageBytes?: number;
  gpu?: boolean | 'optional';
}

export interface PinnedImage {
  /** Repository without tag or digest, e.g. `registry.example.com/team/analysis`. */
  repository: string;
  digest: string;
  /** The version kept as a comment beside the pin, when there is one. */
  version?: string;
}

/** A devcontainer.json lifecycle command: one shell line, an argv list (no shell), or named commands run in parallel. */
export type LifecycleCommand = string | string[] | Record<string, string | string[]>;

/** A devcontainer.json `mounts` entry Benchtop applies: named volumes (and tmpfs) work on every target. */
export interface VolumeMount {
  type: 'volume' | 'tmpfs';
  /** The volume name (empty for tmpfs). */
  source: string;
  target: string;
  readOnly?: boolean;
}

/** What devcontainer.json asks of the session container besides Jupyter. */
export interface ContainerSettings {
  /** For Jupyter, its kernels and the lifecycle commands; `${containerEnv:…}` resolved at start. */
  remoteEnv: Record<string, string>;
  mounts: VolumeMount[];
  /** `--shm-size` from runArgs; absent: Benchtop's default (larger for GPU sessions). */
  shmSizeBytes?: number;
  /** customizations.benchtop.limits, the only source of CPU and memory caps (hostRequirements are minimums). */
  limits: { cpus?: number; memoryBytes?: number };
  /** Run once per container, after it starts. */
  postCreateCommand?: LifecycleCommand;
  /** Run each time the container starts. */
  postStartCommand?: LifecycleCommand;
}

export interface ProjectInfo {
  dir: string;
  name: string;
  devcontainerPath: string;
  /** The `image` value exactly as written. */
  image: string;
  pinned: PinnedImage | null;
  hostRequirements: HostRequirements;
  notebooksDir: string;
  lockfilePath: string;
  jupyter: { port?: number; args: string[] };
  idleMinutes: number;
  containerEnv: Record<string, string>;
  forwardPorts: number[];
  container: ContainerSettings;
  /** The `.devcontainer/<name>/` configuration read, when it is not the default one. */
  configName?: string;
  /** Every named configuration of the project (`.devcontainer/<name>/devcontainer.json`). */
  configs: string[];
  /** Keys of devcontainer.json Benchtop does not apply, said once instead of ignored silently. */
  warnings: string[];
}

export interface PackageChange {
  name: string;
  from?: string;
  to?: string;
}

export interface LockfileStatus {
  state: 'match' | 'differs' | 'missing' | 'unknown';
  projectSha256?: string;
  imageSha256?: string;
  message: string;
  hint?: string;
}

/** What pinning (or `init --image`) did to the project's lockfile: it comes from the pinned image. */
export interface LockfileUpdate {
  /** written: there was none; updated: replaced (see the package changes); none: the image carries no lockfile; failed: it could not be read. */
  state: 'written' | 'updated' | 'unchanged' | 'none' | 'failed';
  path: string;
  message: string;
  hint?: string;
  added: PackageChange[];
  removed: PackageChange[];
  changed: PackageChange[];
}

export interface DriftReport {
  sessionId: string;
  added: PackageChange[];
  removed: PackageChange[];
  changed: PackageChange[];
  /** A proposed new lockfile with the running environment's packages. */
  proposedLockfile: string;
}

export interface RecentProject {
  dir: string;
  name: string;
  openedAt: string;
}

export interface ProjectInvoke {
  projectOpen: (req: { dir: string }) => ProjectInfo;
  projectCreate: (req: { dir: string; image?: string }) => ProjectInfo;
  projectRecent: (req: void) => RecentProject[];
  projectLockfileStatus: (req: { dir: string }) => LockfileStatus;
  projectDrift: (req: { sessionId: string }) => DriftReport;
  /** Asks the user for a folder (a native dialog in the app). Null when cancelled. */
  projectChooseFolder: (req: void) => string | null;
}
