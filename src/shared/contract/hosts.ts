import type { EngineInfo } from './engine';
import type { SlurmClusterInfo, SlurmHostOptions } from './slurm';

export interface GpuInfo {
  index: number;
  uuid: string;
  name: string;
  memoryMiB: number;
  driverVersion: string;
  utilizationPercent?: number;
}

export interface GpuLease {
  host: string;
  gpu: string;
  /** The holder's shown name. */
  holder: string;
  /** The holder's per-install id (empty on leases made before owners). */
  ownerId?: string;
  /** True when this install holds it. */
  mine?: boolean;
  sessionId: string;
  /** When the lease was made, by the host engine's clock (ISO). */
  since: string;
  /** When the host's agent stops the session and frees the card, by the engine's clock (ISO). */
  expires?: string;
  /** `reservation`: claimed with `benchtop gpus claim`, no session container expected. */
  kind?: 'session' | 'reservation';
  idleMinutes: number;
}

/**
 * A host's rules, set once by its admin (`benchtop host policy`), stored on the host's engine and
 * obeyed by every client and the host's agent. 0 means "no limit" / "no idle stop by policy".
 */
export interface HostPolicy {
  maxGpusPerUser: number;
  /** A lease's length unless its claim asks for less. */
  leaseHours: number;
  /** The longest lease a claim or an extension may ask for. */
  maxLeaseHours: number;
  /** Sessions holding GPUs on the host stop after this long idle (a project's shorter rule wins). */
  idleMinutes: number;
  /** A card below this utilization (percent) counts as idle. */
  gpuIdleUtilPercent: number;
  /** Who set it and when (engine clock); absent while the host has the defaults. */
  setBy?: string;
  setAt?: string;
}

/** One row of the GPU board. */
export interface GpuCard {
  index: number;
  uuid: string;
  name: string;
  memoryMiB: number;
  memoryUsedMiB?: number;
  utilizationPercent?: number;
  /** `unleased`: a process or container uses it outside any lease; it is not handed out. */
  state: 'free' | 'leased' | 'unleased';
  lease?: GpuLease;
  /** What uses the card outside a lease (pids, container names). */
  unleasedBy?: string[];
}

/** A claim waiting for GPUs in the host's queue (first come, first served). */
export interface GpuQueueEntry {
  /** 1 is next. */
  position: number;
  sessionId: string;
  holder: string;
  mine: boolean;
  count: number;
  /** When it joined, by the engine's clock (ISO). */
  since: string;
  kind: 'session' | 'reservation';
}

/** What the host's agent tells the holders (warnings before a stop, a stop, a card in use without a lease). */
export interface GpuNotice {
  target: string;
  kind: 'lease-expiry' | 'idle-stop' | 'stopped' | 'unleased-use';
  sessionId?: string;
  gpu?: string;
  /** When it happens (warnings) or happened (stops), ISO. */
  at: string;
  message: string;
  mine: boolean;
}

export interface GpuBoard {
  target: string;
  /** The engine's clock when the board was read (ISO): `since`/`expires` are on this clock. */
  engineTime: string;
  policy: HostPolicy;
  cards: GpuCard[];
  queue: GpuQueueEntry[];
  notices: GpuNotice[];
  /** Leases on cards nvidia-smi does not list (removed, or nvidia-smi failing). */
  orphanLeases: GpuLease[];
  /** Whether the host's agent (idle stop, expiry, queue) runs, and its version. */
  agent: { running: boolean; version?: number };
  /** Why the cards could not be read (nvidia-smi missing, driver broken). */
  problem?: string;
}

/** `benchtop gpus claim`: cards for use outside a session, or a place in the queue. */
export type GpuClaimResult =
  | { status: 'granted'; sessionId: string; gpus: string[]; expires?: string }
  | { status: 'queued'; sessionId: string; position: number };

export interface HostInfo {
  id: string;
  /** As the user typed it: `user@host[:port]` or an ~/.ssh/config alias. */
  spec: string;
  user: string;
  hostname: string;
  port: number;
  fingerprint?: string;
  status: 'unknown' | 'ok' | 'unreachable' | 'key-changed' | 'auth-failed';
  engine?: EngineInfo;
  gpus: GpuInfo[];
  leases: GpuLease[];
  sessions: number;
  message?: string;
  /** A standing risk the user accepted, e.g. a tcp:// engine without TLS (--insecure). */
  warning?: string;
  /** `slurm`: a Slurm cluster's login node; `cluster` then has its partitions, GPUs and the user's limits. */
  kind?: 'slurm';
  cluster?: SlurmClusterInfo;
}

export interface HostAddRequest {
  spec: string;
  identityFile?: string;
  /** The engine socket on an SSH host when it is not /var/run/docker.sock. */
  dockerSocket?: string;
  certPath?: string;
  /** Accept a tcp:// engine without TLS (refused with HOST_INSECURE otherwise). */
  insecure?: boolean;
  /** A `slurm://` cluster's partition, account, QOS, shared folder and runtime. */
  slurm?: SlurmHostOptions;
}

export type HostAddResult =
  | { status: 'added'; host: HostInfo }
  /** The host's key is not in known_hosts yet: show it and call hostTrust if the user accepts. */
  /** `jumpHost` (`bastion:22`) when the key is a ProxyJump host's, not the destination's own. */
  | { status: 'needs-trust'; hostId: string; keyType: string; fingerprint: string; jumpHost?: string };

export interface SyncProgress {
  opId: string;
  sessionId: string;
  phase: 'scanning' | 'uploading' | 'downloading' | 'deleting' | 'done';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  conflicts: string[];
}

export interface SyncResult {
  uploaded: number;
  downloaded: number;
  deleted: number;
  conflicts: string[];
  bytes: number;
  durationMs: number;
  /** Paths from the other side that were not written here (SYNC_PATH_UNSAFE), each with why. */
  refused?: string[];
}

/** One version a sync removed or overwrote, kept for 30 days (the "Recently removed" list). */
export interface TrashEntry {
  /** `local` (kept on this computer) or the target whose volume keeps it. */
  where: string;
  /** The sync that kept it (a folder under the trash). */
  batch: string;
  /** The notebook's path in the notebooks folder. */
  path: string;
  kind: 'deleted' | 'replaced';
  /** ISO time it was removed. */
  removedAt: string;
  size: number;
}

export type TrashEntryRef = Pick<TrashEntry, 'where' | 'batch' | 'path' | 'kind'>;

export interface HostsInvoke {
  hostList: (req: void) => HostInfo[];
  /**
   * `spec`: `user@host[:port]`, `ssh://…`, an ~/.ssh/config alias, `tcp://host:2376` (with `certPath`
   * holding ca.pem/cert.pem/key.pem) or `context:<docker context name>`.
   */
  hostAdd: (req: HostAddRequest) => HostAddResult;
  hostTrust: (req: { hostId: string; fingerprint: string }) => HostInfo;
  hostTest: (req: { hostId: string }) => HostInfo;
  hostRemove: (req: { hostId: string }) => { removed: true };
  /** `confirmDeletes`: the user agreed to the deletions a SYNC_MASS_DELETE listed. */
  sessionSync: (req: { opId: string; sessionId: string; confirmDeletes?: boolean }) => SyncResult;
  /** Versions of the project's notebooks removed or overwritten by syncs (here, and in `target`'s volume when given). */
  syncTrashList: (req: { projectDir: string; target?: string }) => TrashEntry[];
  /** Puts a kept version back in the notebooks folder on this computer (the next sync carries it over). */
  syncTrashRestore: (req: { projectDir: string; entry: TrashEntryRef }) => { restored: string };
  sessionMove: (req: { opId: string; sessionId: string; target: string }) => import('./sessions').SessionInfo;
}

export interface HostsEvents {
  syncProgress: SyncProgress;
}
