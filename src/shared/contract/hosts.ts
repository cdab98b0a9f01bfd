import type { EngineInfo } from './engine';

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
  holder: string;
  sessionId: string;
  since: string;
  idleMinutes: number;
}

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
}

export interface HostAddRequest {
  spec: string;
  identityFile?: string;
  /** The engine socket on an SSH host when it is not /var/run/docker.sock. */
  dockerSocket?: string;
  certPath?: string;
  /** Accept a tcp:// engine without TLS (refused with HOST_INSECURE otherwise). */
  insecure?: boolean;
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
