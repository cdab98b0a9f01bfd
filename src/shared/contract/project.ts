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
